"""Reference solution for dropout_modes (trusted; never shown to the sandbox)."""

import jax
import jax.numpy as jnp
from flax import nnx


class DropoutBlock(nnx.Module):
    """A module holding one nnx.Dropout layer, which keeps its own fork of the `dropout` stream."""

    def __init__(self, rate: float, *, rngs: nnx.Rngs):
        self.dropout = nnx.Dropout(rate, rngs=rngs)

    def __call__(self, x: jax.Array) -> jax.Array:
        return self.dropout(x)


def dropout_modes(seed: float, x: jax.Array, rate: float) -> tuple[jax.Array, jax.Array]:
    """The block's output in training mode (one mask drawn from the seed), then in evaluation mode."""
    x = jnp.asarray(x, dtype=jnp.float32)
    model = DropoutBlock(rate, rngs=nnx.Rngs(dropout=int(seed)))
    model.train()  # deterministic=False: draw a mask, scale the kept values by 1 / (1 - rate)
    train = model(x)
    model.eval()  # deterministic=True: x passes through unchanged
    evaluated = model(x)
    return train, evaluated
