"""Reference solution for conv_feature_map (trusted; never shown to the sandbox)."""

import jax
import jax.numpy as jnp
from flax import nnx


def conv_feature_map(seed: float, image: jax.Array, features: float, kernel_size: float, stride: float, same: float) -> jax.Array:
    """One nnx.Conv over a one-channel image: the feature maps, shape (out_height, out_width, features)."""
    k, s = int(kernel_size), int(stride)
    conv = nnx.Conv(
        in_features=1,
        out_features=int(features),
        kernel_size=(k, k),
        strides=(s, s),
        padding="SAME" if same else "VALID",
        rngs=nnx.Rngs(int(seed)),
    )
    # nnx.Conv reads NHWC: a batch of one image, height, width, and one input channel.
    x = jnp.asarray(image, dtype=jnp.float32)[None, :, :, None]
    return conv(x)[0]
