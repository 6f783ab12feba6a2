# Returns the variance before the mean.
# expect-status: wrong_answer
# expect-hint: holds what
from flax import nnx


def batchnorm_stats(batch, momentum, calls):
    bn = nnx.BatchNorm(batch.shape[-1], momentum=momentum, rngs=nnx.Rngs(0))
    for _ in range(int(calls)):
        bn(batch, use_running_average=False)
    out = bn(batch, use_running_average=True)
    return bn.var[...], bn.mean[...], out
