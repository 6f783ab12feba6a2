"""Reference solution for batchnorm_stats (trusted; never shown to the sandbox)."""

import jax
import jax.numpy as jnp
from flax import nnx


def batchnorm_stats(batch: jax.Array, momentum: float, calls: float) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Update a BatchNorm's running statistics `calls` times on the batch, then normalise it in eval mode."""
    batch = jnp.asarray(batch, dtype=jnp.float32)
    # BatchNorm's default scale (ones) and bias (zeros) use no randomness, but rngs is required.
    bn = nnx.BatchNorm(batch.shape[-1], momentum=momentum, rngs=nnx.Rngs(0))
    bn.train()  # use_running_average=False: normalise with the batch's statistics and update the running ones
    for _ in range(int(calls)):
        bn(batch)
    bn.eval()  # use_running_average=True: normalise with the running statistics, leave them alone
    eval_out = bn(batch)
    return bn.mean[...], bn.var[...], eval_out
