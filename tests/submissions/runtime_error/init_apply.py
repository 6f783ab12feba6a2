# Uses Linen's init/apply on an nnx module.
# expect-hint: init or apply
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
    params = model.init(jax.random.key(int(seed)), x)
    return model.apply(params, x)
