# Shifts a state but merges the one from nnx.split.
# expect-status: wrong_answer
# expect-hint: merged from the unshifted
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
    shifted = jax.tree.map(lambda leaf: leaf + shift, params)
    del shifted
    new_model = nnx.merge(graphdef, params, rest)
    return count, model(x), new_model(x)
