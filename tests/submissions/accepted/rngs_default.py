# Draws the key from the default stream: an Rngs built from one seed serves params from it too.
import math

import jax
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, din, dout, *, rngs):
        self.kernel = nnx.Param(jax.random.normal(rngs.default(), (din, dout)) * (1 / math.sqrt(din)))

    def __call__(self, x):
        return x @ self.kernel[...]


def module_basics_forward(seed, x, features):
    return Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
