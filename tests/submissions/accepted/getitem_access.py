# The recommended style: module at top level, kernel read with [...].
import jax
import jax.numpy as jnp
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, in_features: int, out_features: int, *, rngs: nnx.Rngs):
        scale = 1 / jnp.sqrt(in_features)
        self.kernel = nnx.Param(jax.random.normal(rngs.params(), (in_features, out_features)) * scale)

    def __call__(self, x):
        return x @ self.kernel[...]


def module_basics_forward(seed, x, features):
    model = Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))
    return model(x)
