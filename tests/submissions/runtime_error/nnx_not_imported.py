# Forgets to import nnx.
# expect-hint: from flax import nnx
import math

import jax


def module_basics_forward(seed, x, features):
    class Dense(nnx.Module):  # noqa: F821
        def __init__(self, din, dout, *, rngs):
            self.kernel = nnx.Param(jax.random.normal(rngs.params(), (din, dout)) / math.sqrt(din))  # noqa: F821

        def __call__(self, x):
            return x @ self.kernel[...]

    return Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)  # noqa: F821
