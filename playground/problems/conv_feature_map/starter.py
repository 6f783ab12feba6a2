import jax
import jax.numpy as jnp
from flax import nnx


def conv_feature_map(seed, image, features, kernel_size, stride, same):
    """Run one nnx.Conv over the (height, width) image; return its feature maps (out_h, out_w, features)."""
    # TODO: build nnx.Conv(in_features=1, out_features=..., kernel_size=(k, k), strides=(s, s),
    #       padding="SAME" or "VALID", rngs=nnx.Rngs(int(seed)))
    # TODO: give the image the NHWC shape nnx.Conv reads: (batch, height, width, channels)
    # TODO: call the layer and return the feature maps without the batch axis
    raise NotImplementedError("write conv_feature_map")
