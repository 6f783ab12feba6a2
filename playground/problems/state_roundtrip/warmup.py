"""Sandbox-side warm-up: compiles the ops a typical answer uses, on one test's shapes."""

import jax
import jax.numpy as jnp
from flax import nnx


def warm(inputs: dict) -> None:
    """Build, split, shift, merge and call once so XLA has compiled every op for this shape."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    features = int(inputs["features"])
    rngs = nnx.Rngs(int(inputs["seed"]))
    model = nnx.Sequential(
        nnx.Linear(x.shape[-1], features, rngs=rngs),
        nnx.BatchNorm(features, use_running_average=True, rngs=rngs),
    )
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    count = sum(leaf.size for leaf in jax.tree.leaves(params))
    shift = float(inputs["shift"])
    new_model = nnx.merge(graphdef, jax.tree.map(lambda a: a + shift, params), rest)
    jax.block_until_ready((jnp.asarray(count, dtype=jnp.float32), model(x), new_model(x)))
