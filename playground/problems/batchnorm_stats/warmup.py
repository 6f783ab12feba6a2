"""Sandbox-side warm-up: compiles the ops a typical BatchNorm answer uses, on one test's shapes."""

import jax
import jax.numpy as jnp
from flax import nnx


def warm(inputs: dict) -> None:
    """Two training-mode calls and one evaluation-mode call, so XLA has compiled them."""
    batch = jnp.asarray(inputs["batch"], dtype=jnp.float32)
    # momentum and calls arrive as 0.0 here (only shapes are kept): use typical values instead.
    bn = nnx.BatchNorm(batch.shape[-1], momentum=0.9, rngs=nnx.Rngs(0))
    bn.train()
    for _ in range(2):
        bn(batch)
    bn.eval()
    out = bn(batch)
    jax.block_until_ready((bn.mean[...], bn.var[...], out, jnp.mean(batch, axis=0), jnp.var(batch, axis=0)))
