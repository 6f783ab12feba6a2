# Starts the bias at ones, "so it does something".
# expect-status: wrong_answer
# expect-hint: bias is all ones
import jax.numpy as jnp
from flax import nnx


class DenseWithBias(nnx.Module):
    def __init__(self, n_in, n_out, *, rngs):
        self.kernel = nnx.Param(nnx.initializers.lecun_normal()(rngs.params(), (n_in, n_out)))
        rngs.params()
        self.bias = nnx.Param(jnp.ones((n_out,)))

    def __call__(self, x):
        return x @ self.kernel[...] + self.bias[...]


def dense_with_bias(seed, x, features):
    return DenseWithBias(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
