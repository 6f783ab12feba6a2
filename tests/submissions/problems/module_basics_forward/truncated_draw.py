# Uses a truncated normal, as nnx's own initialisers do.
# expect-status: wrong_answer
# expect-hint: truncated normal
import math

import jax
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, n_in, n_out, *, rngs):
        draw = jax.random.truncated_normal(rngs.params(), -2.0, 2.0, (n_in, n_out))
        self.kernel = nnx.Param(draw / math.sqrt(n_in))

    def __call__(self, x):
        return x @ self.kernel[...]


def module_basics_forward(seed, x, features):
    return Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
