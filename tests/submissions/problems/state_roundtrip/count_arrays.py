# Counts the parameter arrays rather than the numbers in them.
# expect-status: wrong_answer
# expect-hint: number of parameter arrays
import jax
from flax import nnx


def state_roundtrip(seed, x, features, shift):
    rngs = nnx.Rngs(int(seed))
    model = nnx.Sequential(
        nnx.Linear(x.shape[-1], int(features), rngs=rngs),
        nnx.BatchNorm(int(features), use_running_average=True, rngs=rngs),
    )
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    count = len(jax.tree.leaves(params))
    new_model = nnx.merge(graphdef, jax.tree.map(lambda leaf: leaf + shift, params), rest)
    return count, model(x), new_model(x)
