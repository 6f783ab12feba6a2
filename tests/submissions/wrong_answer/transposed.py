# Creates the kernel as (out, in) and multiplies on the left.
# expect-hint: transposed
import math

import jax
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, din, dout, *, rngs):
        self.kernel = nnx.Param(jax.random.normal(rngs.params(), (dout, din)) / math.sqrt(din))

    def __call__(self, x):
        return self.kernel[...] @ x


def module_basics_forward(seed, x, features):
    return Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
