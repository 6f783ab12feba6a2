# Reads the kernel through the deprecated .value: accepted, with a DeprecationWarning reported.
# expect-warning: DeprecationWarning
import math

import jax
from flax import nnx


def module_basics_forward(seed, x, features):
    class Dense(nnx.Module):
        def __init__(self, in_features, out_features, *, rngs):
            key = rngs.params()
            self.kernel = nnx.Param(jax.random.normal(key, (in_features, out_features)) / math.sqrt(in_features))

        def __call__(self, x):
            return x @ self.kernel.value

    return Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
