# Counts every number in the model's state, batch statistics included.
# expect-status: wrong_answer
# expect-hint: running mean and variance
import jax
from flax import nnx


def state_roundtrip(seed, x, features, shift):
    rngs = nnx.Rngs(int(seed))
    model = nnx.Sequential(
        nnx.Linear(x.shape[-1], int(features), rngs=rngs),
        nnx.BatchNorm(int(features), use_running_average=True, rngs=rngs),
    )
    count = sum(leaf.size for leaf in jax.tree.leaves(nnx.state(model)))
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    new_model = nnx.merge(graphdef, jax.tree.map(lambda leaf: leaf + shift, params), rest)
    return count, model(x), new_model(x)
