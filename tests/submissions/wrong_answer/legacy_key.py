# Draws the kernel from the legacy jax.random.PRNGKey(seed).
# expect-hint: PRNGKey
import math

import jax
from flax import nnx


def module_basics_forward(seed, x, features):
    class Dense(nnx.Module):
        def __init__(self, din, dout, *, rngs):
            self.kernel = nnx.Param(jax.random.normal(jax.random.PRNGKey(int(seed)), (din, dout)) / math.sqrt(din))

        def __call__(self, x):
            return x @ self.kernel[...]

    return Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
