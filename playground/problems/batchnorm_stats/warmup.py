"""Sandbox-side warm-up: compiles the ops a typical BatchNorm answer uses, on one test's shapes.

Fresh workers run `warm` only; a warm template (playground/sandbox/template.py) also runs
`warm_spellings`, the other ways correct and common wrong answers are written.
"""

import jax
import jax.numpy as jnp
from flax import nnx

from playground.warming import run_each


def warm(inputs: dict) -> object:
    """Two training-mode calls and one evaluation-mode call, so XLA has compiled them."""
    batch = jnp.asarray(inputs["batch"], dtype=jnp.float32)
    # momentum and calls arrive as 0.0 here (only shapes are kept): use typical values instead.
    bn = nnx.BatchNorm(batch.shape[-1], momentum=0.9, rngs=nnx.Rngs(0))
    bn.train()
    for _ in range(2):
        bn(batch)
    bn.eval()
    out = bn(batch)
    return jax.block_until_ready((bn.mean[...], bn.var[...], out, jnp.mean(batch, axis=0), jnp.var(batch, axis=0)))


def warm_spellings(inputs: dict) -> None:
    """`use_running_average=`, `.value`, statistics by hand, and the misconceptions' updates."""
    batch = jnp.asarray(inputs["batch"], dtype=jnp.float32)
    features = batch.shape[-1]
    bn = nnx.BatchNorm(num_features=features, momentum=0.9, rngs=nnx.Rngs(0))
    mean, var = jnp.mean(batch, axis=0), jnp.var(batch, axis=0)
    run_each([
        lambda: bn(batch, use_running_average=False),
        lambda: bn(batch, use_running_average=True),
        lambda: (bn.mean.value, bn.var.value),
        lambda: nnx.BatchNorm(features, rngs=nnx.Rngs(0))(batch),
        lambda: nnx.BatchNorm(features, momentum=0.9, use_running_average=True, rngs=nnx.Rngs(0))(batch),
        lambda: batch.mean(axis=0),
        lambda: batch.var(axis=0),
        lambda: jnp.mean((batch - mean) ** 2, axis=0),
        lambda: 0.9 * jnp.zeros(features) + (1 - 0.9) * mean,
        lambda: 0.9 * jnp.ones(features) + (1 - 0.9) * var,
        lambda: (batch - mean) / jnp.sqrt(var + 1e-5),
        lambda: jnp.var(batch, axis=0, ddof=1),
    ])
