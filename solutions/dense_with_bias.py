"""Reference solution for dense_with_bias (trusted; never shown to the sandbox)."""

import jax
import jax.numpy as jnp
from flax import nnx


class DenseWithBias(nnx.Module):
    """A dense layer initialised key for key like nnx.Linear: lecun-normal kernel, zero bias."""

    def __init__(self, in_features: int, out_features: int, *, rngs: nnx.Rngs):
        kernel_init = nnx.initializers.lecun_normal()
        bias_init = nnx.initializers.zeros_init()
        # nnx.Linear draws one key for the kernel, then one for the bias (zeros ignore it, but
        # the draw still advances the stream, so later layers see the same keys).
        kernel_key = rngs.params()
        self.kernel = nnx.Param(kernel_init(kernel_key, (in_features, out_features), jnp.float32))
        bias_key = rngs.params()
        self.bias = nnx.Param(bias_init(bias_key, (out_features,), jnp.float32))

    def __call__(self, x: jax.Array) -> jax.Array:
        return x @ self.kernel[...] + self.bias[...]


def dense_with_bias(seed: float, x: jax.Array, features: float) -> jax.Array:
    """Build the layer from the seed, run it on x and return the output vector."""
    x = jnp.asarray(x, dtype=jnp.float32)
    layer = DenseWithBias(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return layer(x)
