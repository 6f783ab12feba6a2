# Passes the float seed straight to nnx.Rngs.
# expect-hint: int(
# expect-message: line 19
import math

import jax
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, din, dout, *, rngs):
        self.kernel = nnx.Param(jax.random.normal(rngs.params(), (din, dout)) / math.sqrt(din))

    def __call__(self, x):
        return x @ self.kernel[...]


def module_basics_forward(seed, x, features):
    rngs = nnx.Rngs(seed)
    return Dense(x.shape[-1], int(features), rngs=rngs)(x)
