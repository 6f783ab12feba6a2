# Leaves padding out.
# expect-status: wrong_answer
# expect-hint: default padding is 'SAME'
from flax import nnx


def conv_feature_map(seed, image, features, kernel_size, stride, same):
    k, s = int(kernel_size), int(stride)
    conv = nnx.Conv(in_features=1, out_features=int(features), kernel_size=(k, k), strides=(s, s),
                    rngs=nnx.Rngs(int(seed)))
    return conv(image[None, :, :, None])[0]
