"""Reference solution for custom_variable (trusted; never shown to the sandbox)."""

import jax
import jax.numpy as jnp
from flax import nnx


class Counter(nnx.Variable):
    """A Variable type of our own: state that is neither a Param nor a BatchStat."""


class CountingLinear(nnx.Module):
    """nnx.Linear with a call counter beside it."""

    def __init__(self, in_features: int, out_features: int, *, rngs: nnx.Rngs):
        self.linear = nnx.Linear(in_features, out_features, rngs=rngs)
        self.count = Counter(jnp.array(0))

    def __call__(self, x: jax.Array) -> jax.Array:
        self.count[...] += 1  # updates the value inside the Counter; the Counter itself stays
        return self.linear(x)


def custom_variable(seed: float, x: jax.Array, calls: float) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Call the counting layer `calls` times; return the Counter state, the Param state and the last output."""
    x = jnp.asarray(x, dtype=jnp.float32)
    model = CountingLinear(x.shape[-1], 2, rngs=nnx.Rngs(int(seed)))
    for _ in range(int(calls)):
        output = model(x)
    # A Variable subclass is a filter of its own: nnx.state picks every Counter and nothing else.
    count = jnp.array(jax.tree.leaves(nnx.state(model, Counter)))
    params = jnp.concatenate([p.ravel() for p in jax.tree.leaves(nnx.state(model, nnx.Param))])
    return count, params, output
