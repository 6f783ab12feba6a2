# Counts the calls from 0 to calls inclusive.
# expect-status: wrong_answer
# expect-hint: one update too many
import jax.numpy as jnp
from flax import nnx


def batchnorm_stats(batch, momentum, calls):
    bn = nnx.BatchNorm(batch.shape[1], momentum=momentum, rngs=nnx.Rngs(0))
    bn.train()
    for _ in range(int(calls) + 1):
        bn(batch)
    bn.eval()
    out = bn(batch)
    return bn.mean.value, bn.var.value, out
