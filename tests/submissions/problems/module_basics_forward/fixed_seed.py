# Builds the keys from a constant instead of the seed argument.
# expect-status: wrong_answer
# expect-hint: seed 0
import jax
import jax.numpy as jnp
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, n_in, n_out, rngs):
        self.kernel = nnx.Param(jax.random.normal(rngs.params(), (n_in, n_out)) / jnp.sqrt(n_in))

    def __call__(self, x):
        return x @ self.kernel[...]


def module_basics_forward(seed, x, features):
    return Dense(x.shape[-1], int(features), nnx.Rngs(0))(x)
