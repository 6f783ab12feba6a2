# Writes the running average by hand with the weights the wrong way round.
# expect-status: wrong_answer
# expect-hint: momentum weighs the wrong side
import jax.numpy as jnp


def batchnorm_stats(batch, momentum, calls):
    mean = jnp.zeros(batch.shape[1])
    var = jnp.ones(batch.shape[1])
    for _ in range(int(calls)):
        mean = (1 - momentum) * mean + momentum * batch.mean(axis=0)
        var = (1 - momentum) * var + momentum * batch.var(axis=0)
    return mean, var, (batch - mean) / jnp.sqrt(var + 1e-5)
