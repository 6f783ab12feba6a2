# Draws the kernel with jax.random.logistic.
# expect-status: wrong_answer
# expect-hint: logistic
import jax
import jax.numpy as jnp
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, n_in, n_out, *, rngs):
        self.kernel = nnx.Param(jax.random.logistic(rngs.params(), (n_in, n_out)) / jnp.sqrt(n_in))

    def __call__(self, x):
        return jnp.dot(x, self.kernel[...])


def module_basics_forward(seed, x, features):
    return Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
