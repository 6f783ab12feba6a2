# Computes the output but forgets to return it.
# expect-message: returned None
import math

import jax
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, din, dout, *, rngs):
        self.kernel = nnx.Param(jax.random.normal(rngs.params(), (din, dout)) / math.sqrt(din))

    def __call__(self, x):
        return x @ self.kernel[...]


def module_basics_forward(seed, x, features):
    Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
