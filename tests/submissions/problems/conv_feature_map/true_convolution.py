# Computes a textbook convolution: the kernel flipped before it slides.
# expect-status: wrong_answer
# expect-hint: 180 degrees
import jax.numpy as jnp
from flax import nnx


def conv_feature_map(seed, image, features, kernel_size, stride, same):
    k, s = int(kernel_size), int(stride)
    conv = nnx.Conv(1, int(features), kernel_size=(k, k), strides=(s, s),
                    padding="SAME" if same else "VALID", rngs=nnx.Rngs(int(seed)))
    conv.kernel[...] = jnp.flip(conv.kernel[...], axis=(0, 1))
    return conv(image[None, :, :, None])[0]
