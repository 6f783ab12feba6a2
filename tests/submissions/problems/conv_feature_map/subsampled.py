# Convolves at stride 1 and keeps every s-th pixel.
# expect-status: wrong_answer
# expect-hint: every s-th pixel
from flax import nnx


def conv_feature_map(seed, image, features, kernel_size, stride, same):
    k, s = int(kernel_size), int(stride)
    conv = nnx.Conv(1, int(features), kernel_size=(k, k), padding="SAME" if same else "VALID",
                    rngs=nnx.Rngs(int(seed)))
    maps = conv(image.reshape(1, image.shape[0], image.shape[1], 1))[0]
    return maps[::s, ::s]
