# Picks jax.random.laplace for the kernel, thinking any zero-centred draw will do.
# expect-status: wrong_answer
# expect-hint: Laplace
import math

import jax
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, n_in, n_out, *, rngs):
        self.kernel = nnx.Param(jax.random.laplace(rngs.params(), (n_in, n_out)) / math.sqrt(n_in))

    def __call__(self, x):
        return x @ self.kernel.value


def module_basics_forward(seed, x, features):
    model = Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return model(x)
