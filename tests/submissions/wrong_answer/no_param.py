# Stores the kernel as a plain array: right numbers, but nnx sees no trainable parameter.
# expect-hint: nnx.Param
# expect-message: no nnx.Param
import math

import jax
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, din, dout, *, rngs):
        self.kernel = jax.random.normal(rngs.params(), (din, dout)) / math.sqrt(din)

    def __call__(self, x):
        return x @ self.kernel


def module_basics_forward(seed, x, features):
    return Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
