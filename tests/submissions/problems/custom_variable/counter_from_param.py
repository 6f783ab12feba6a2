# Derives the Counter from nnx.Param "so that it is saved with the model".
# expect-status: wrong_answer
# expect-hint: one value too many
import jax
import jax.numpy as jnp
from flax import nnx


class Counter(nnx.Param):
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
    count = jnp.array(jax.tree.leaves(nnx.state(model, Counter)))
    params = jnp.concatenate([p.ravel() for p in jax.tree.leaves(nnx.state(model, nnx.Param))])
    return count, params, output
