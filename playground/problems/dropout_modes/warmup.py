"""Sandbox-side warm-up: compiles the ops a typical dropout answer uses, on one test's shapes.

Fresh workers run `warm` only; a warm template (playground/sandbox/template.py) also runs
`warm_spellings`, the other ways correct and common wrong answers are written.
"""

import jax
import jax.numpy as jnp
from flax import nnx

from playground.warming import run_each


def warm(inputs: dict) -> object:
    """Draw one mask in training mode and pass through in evaluation mode, so XLA has compiled it."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    # The rate arrives as 0.0 here (only shapes are kept), which would skip the mask: use 0.5.
    layer = nnx.Dropout(0.5, rngs=nnx.Rngs(dropout=int(inputs["seed"])))
    layer.train()
    train = layer(x)
    layer.eval()
    kept = jax.random.bernoulli(jax.random.key(0), 0.5, x.shape)
    jnp.where(kept, x / 0.5, 0.0).block_until_ready()
    return jax.block_until_ready((train, layer(x)))


def warm_spellings(inputs: dict) -> None:
    """`deterministic=`, the layer alone, hand-made masks, and the misconceptions' scalings."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    seed = int(inputs["seed"])
    layer = nnx.Dropout(0.5, rngs=nnx.Rngs(dropout=seed))
    key = nnx.Rngs(dropout=seed).dropout()
    kept = jax.random.bernoulli(key, 0.5, x.shape)
    run_each([
        lambda: layer(x, deterministic=False),
        lambda: layer(x, deterministic=True),
        lambda: nnx.Dropout(0.5, deterministic=False, rngs=nnx.Rngs(dropout=seed))(x),
        lambda: nnx.Dropout(0.5)(x, rngs=nnx.Rngs(dropout=seed)),
        lambda: jnp.where(kept, x / (1.0 - 0.5), 0.0),
        lambda: jnp.where(kept, x, 0.0),
        lambda: jnp.where(kept, x, jnp.zeros_like(x)),
        lambda: x * kept / 0.5,
        lambda: kept * x / (1 - 0.5),
        lambda: x * (1.0 - 0.5),
        lambda: jax.random.uniform(key, x.shape) < 0.5,
        lambda: jax.random.uniform(key, x.shape) >= 0.5,
        lambda: jnp.asarray(x),
        lambda: x.copy(),
    ])
