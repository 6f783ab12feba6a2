# Reads the count from the whole state, without the Counter filter.
# expect-status: wrong_answer
# expect-hint: every value of the model
import jax
import jax.numpy as jnp
from flax import nnx


class Counter(nnx.Variable):
    pass


class CountingLinear(nnx.Module):
    def __init__(self, in_features, out_features, *, rngs):
        self.linear = nnx.Linear(in_features, out_features, rngs=rngs)
        self.count = Counter(jnp.array(0))

    def __call__(self, x):
        self.count[...] += 1
        return self.linear(x)


def custom_variable(seed, x, calls):
    model = CountingLinear(x.shape[-1], 2, rngs=nnx.Rngs(int(seed)))
    for _ in range(int(calls)):
        output = model(x)
    count = jnp.concatenate([jnp.ravel(v) for v in jax.tree.leaves(nnx.state(model))])
    params = jnp.concatenate([p.ravel() for p in jax.tree.leaves(nnx.state(model, nnx.Param))])
    return count, params, output
