# Adds a ReLU, as layers usually have one.
# expect-status: wrong_answer
# expect-hint: ReLU
import math

import jax
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, n_in, n_out, *, rngs):
        key = rngs.params()
        self.kernel = nnx.Param(jax.random.normal(key, (n_in, n_out)) * (1.0 / math.sqrt(n_in)))

    def __call__(self, x):
        return nnx.relu(x @ self.kernel[...])


def module_basics_forward(seed, x, features):
    return Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
