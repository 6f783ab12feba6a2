# Uses jnp.dot instead of @, and prints while debugging.
# expect-stdout: in_features=3
import math

import jax
import jax.numpy as jnp
from flax import nnx


class Layer(nnx.Module):
    def __init__(self, n_in, n_out, rngs):
        self.kernel = nnx.Param(jax.random.normal(rngs.params(), (n_in, n_out)) * (1.0 / math.sqrt(n_in)))

    def __call__(self, x):
        return jnp.dot(x, self.kernel[...])


def module_basics_forward(seed, x, features):
    print(f"in_features={x.shape[-1]}")
    return Layer(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
