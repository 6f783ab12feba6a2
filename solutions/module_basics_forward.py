"""Reference solution for module_basics_forward (trusted; never shown to the sandbox)."""

import math

import jax
import jax.numpy as jnp
from flax import nnx


class OneParamDense(nnx.Module):
    """A dense layer without bias: one trainable kernel of shape (in_features, out_features)."""

    def __init__(self, in_features: int, out_features: int, *, rngs: nnx.Rngs):
        key = rngs.params()
        scale = 1.0 / math.sqrt(in_features)
        self.kernel = nnx.Param(jax.random.normal(key, (in_features, out_features)) * scale)

    def __call__(self, x: jax.Array) -> jax.Array:
        return x @ self.kernel[...]


def module_basics_forward(seed: float, x: jax.Array, features: float) -> jax.Array:
    """Build the module from the seed, run it on x and return the output vector."""
    x = jnp.asarray(x, dtype=jnp.float32)
    model = OneParamDense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return model(x)
