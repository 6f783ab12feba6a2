# Draws the kernel from jax.random.key(seed) instead of rngs.params().
# expect-hint: rngs.params()
import math

import jax
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, din, dout, seed, *, rngs):
        key = jax.random.key(seed)
        self.kernel = nnx.Param(jax.random.normal(key, (din, dout)) / math.sqrt(din))

    def __call__(self, x):
        return x @ self.kernel[...]


def module_basics_forward(seed, x, features):
    return Dense(x.shape[-1], int(features), int(seed), rngs=nnx.Rngs(int(seed)))(x)
