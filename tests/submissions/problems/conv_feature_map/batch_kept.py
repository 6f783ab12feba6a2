# Returns nnx.Conv's whole output, batch axis included.
# expect-status: wrong_answer
# expect-hint: batch axis
from flax import nnx


def conv_feature_map(seed, image, features, kernel_size, stride, same):
    k, s = int(kernel_size), int(stride)
    conv = nnx.Conv(1, int(features), kernel_size=(k, k), strides=(s, s),
                    padding="SAME" if same == 1 else "VALID", rngs=nnx.Rngs(int(seed)))
    return conv(image[None, :, :, None])
