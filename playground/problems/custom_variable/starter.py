import jax
import jax.numpy as jnp
from flax import nnx


# TODO: class Counter(...): a Variable type of your own


def custom_variable(seed, x, calls):
    """Count the calls of a layer in a Variable of your own; return (count, params, output)."""

    class CountingLinear(nnx.Module):
        def __init__(self, in_features, out_features, *, rngs):
            # TODO: self.linear = nnx.Linear(...); self.count = a Counter holding 0
            raise NotImplementedError("create the layer and the counter here")

        def __call__(self, x):
            # TODO: add 1 to the counter, then return the layer's output
            raise NotImplementedError("count the call and run the layer here")

    # TODO: build CountingLinear(x.shape[-1], 2, rngs=nnx.Rngs(int(seed))), call it int(calls) times
    # TODO: count = jnp.array(jax.tree.leaves(nnx.state(model, Counter)))
    # TODO: params = jnp.concatenate([p.ravel() for p in jax.tree.leaves(nnx.state(model, nnx.Param))])
    raise NotImplementedError("write custom_variable")
