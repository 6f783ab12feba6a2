# Builds the module but returns its kernel instead of calling it.
# expect-hint: returned the kernel
import math

import jax
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, din, dout, *, rngs):
        self.kernel = nnx.Param(jax.random.normal(rngs.params(), (din, dout)) / math.sqrt(din))

    def __call__(self, x):
        return x @ self.kernel[...]


def module_basics_forward(seed, x, features):
    model = Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return model.kernel[...]
