# Adds a bias drawn from a second key.
# expect-hint: bias
import math

import jax
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, din, dout, *, rngs):
        self.kernel = nnx.Param(jax.random.normal(rngs.params(), (din, dout)) / math.sqrt(din))
        self.bias = nnx.Param(jax.random.normal(rngs.params(), (dout,)))

    def __call__(self, x):
        return x @ self.kernel[...] + self.bias[...]


def module_basics_forward(seed, x, features):
    return Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
