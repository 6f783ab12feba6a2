# Returns the merged model's output before the original one.
# expect-status: wrong_answer
# expect-hint: holds what
import jax
from flax import nnx


def state_roundtrip(seed, x, features, shift):
    rngs = nnx.Rngs(int(seed))
    model = nnx.Sequential(
        nnx.Linear(x.shape[-1], int(features), rngs=rngs),
        nnx.BatchNorm(int(features), use_running_average=True, rngs=rngs),
    )
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    count = sum(leaf.size for leaf in jax.tree.leaves(params))
    new_model = nnx.merge(graphdef, jax.tree.map(lambda leaf: leaf + shift, params), rest)
    return count, new_model(x), model(x)
