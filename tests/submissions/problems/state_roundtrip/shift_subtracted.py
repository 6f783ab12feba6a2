# Subtracts the shift instead of adding it.
# expect-status: wrong_answer
# expect-hint: moved the other way
import jax
import jax.numpy as jnp
from flax import nnx


def state_roundtrip(seed, x, features, shift):
    rngs = nnx.Rngs(int(seed))
    model = nnx.Sequential(
        nnx.Linear(x.shape[-1], int(features), rngs=rngs),
        nnx.BatchNorm(int(features), use_running_average=True, rngs=rngs),
    )
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    count = sum(p.size for p in jax.tree.leaves(params))
    moved = jax.tree.map(lambda p: p - shift, params)
    return count, model(x), nnx.merge(graphdef, moved, rest)(x)
