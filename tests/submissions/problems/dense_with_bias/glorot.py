# Uses glorot_normal (xavier), the initialiser of many tutorials.
# expect-status: wrong_answer
# expect-hint: glorot_normal
import jax.numpy as jnp
from flax import nnx


class DenseWithBias(nnx.Module):
    def __init__(self, n_in, n_out, *, rngs):
        self.kernel = nnx.Param(nnx.initializers.glorot_normal()(rngs.params(), (n_in, n_out)))
        self.bias = nnx.Param(nnx.initializers.zeros_init()(rngs.params(), (n_out,)))

    def __call__(self, x):
        return jnp.dot(x, self.kernel[...]) + self.bias[...]


def dense_with_bias(seed, x, features):
    return DenseWithBias(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
