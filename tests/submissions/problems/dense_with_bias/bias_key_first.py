# Draws both keys up front, bias key first.
# expect-status: wrong_answer
# expect-hint: second key of the stream
import jax.numpy as jnp
from flax import nnx


class DenseWithBias(nnx.Module):
    def __init__(self, n_in, n_out, *, rngs):
        bias_key, kernel_key = rngs.params(), rngs.params()
        self.kernel = nnx.Param(nnx.initializers.lecun_normal()(kernel_key, (n_in, n_out), jnp.float32))
        self.bias = nnx.Param(nnx.initializers.zeros_init()(bias_key, (n_out,), jnp.float32))

    def __call__(self, x):
        return x @ self.kernel[...] + self.bias[...]


def dense_with_bias(seed, x, features):
    return DenseWithBias(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
