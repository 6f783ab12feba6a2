# Divides by math.sqrt(in_features) instead of multiplying by its inverse.
import math

import jax
from flax import nnx


def module_basics_forward(seed, x, features):
    class Dense(nnx.Module):
        def __init__(self, din, dout, *, rngs):
            self.kernel = nnx.Param(jax.random.normal(rngs.params(), (din, dout)) / math.sqrt(din))

        def __call__(self, inputs):
            return inputs @ self.kernel[...]

    rngs = nnx.Rngs(int(seed))
    return Dense(int(x.shape[-1]), int(features), rngs=rngs)(x)
