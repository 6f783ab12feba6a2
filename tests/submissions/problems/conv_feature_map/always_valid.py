# Passes padding="VALID" whatever `same` says.
# expect-status: wrong_answer
# expect-hint: VALID's size
from flax import nnx


def conv_feature_map(seed, image, features, kernel_size, stride, same):
    k = int(kernel_size)
    conv = nnx.Conv(1, int(features), kernel_size=(k, k), strides=int(stride), padding="VALID",
                    rngs=nnx.Rngs(int(seed)))
    return conv(image[None, ..., None])[0]
