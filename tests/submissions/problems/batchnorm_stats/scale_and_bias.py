# Returns the layer's scale and bias, thinking they are the statistics.
# expect-status: wrong_answer
# expect-hint: bias (zeros) and scale (ones)
from flax import nnx


def batchnorm_stats(batch, momentum, calls):
    bn = nnx.BatchNorm(batch.shape[-1], momentum=momentum, rngs=nnx.Rngs(0))
    bn.train()
    for _ in range(int(calls)):
        bn(batch)
    bn.eval()
    out = bn(batch)
    return bn.bias[...], bn.scale[...], out
