"""Sandbox-side warm-up: compiles the ops a typical dropout answer uses, on one test's shapes."""

import jax
import jax.numpy as jnp
from flax import nnx


def warm(inputs: dict) -> None:
    """Draw one mask in training mode and pass through in evaluation mode, so XLA has compiled it."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    # The rate arrives as 0.0 here (only shapes are kept), which would skip the mask: use 0.5.
    layer = nnx.Dropout(0.5, rngs=nnx.Rngs(dropout=int(inputs["seed"])))
    layer.train()
    train = layer(x)
    layer.eval()
    kept = jax.random.bernoulli(jax.random.key(0), 0.5, x.shape)
    jnp.where(kept, x / 0.5, 0.0).block_until_ready()
    jax.block_until_ready((train, layer(x)))
