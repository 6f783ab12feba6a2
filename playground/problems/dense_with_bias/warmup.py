"""Sandbox-side warm-up: compiles the ops a typical answer uses, on one test's shapes."""

import jax
import jax.numpy as jnp
from flax import nnx


class _Warm(nnx.Module):
    def __init__(self, in_features: int, out_features: int, *, rngs: nnx.Rngs):
        kernel = nnx.initializers.lecun_normal()(rngs.params(), (in_features, out_features), jnp.float32)
        self.kernel = nnx.Param(kernel)
        self.bias = nnx.Param(nnx.initializers.zeros_init()(rngs.params(), (out_features,), jnp.float32))

    def __call__(self, x: jax.Array) -> jax.Array:
        return x @ self.kernel[...] + self.bias[...]


def warm(inputs: dict) -> None:
    """Build the layer by hand and as nnx.Linear, and run both once so XLA has compiled them."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    n_in, n_out = x.shape[-1], int(inputs["features"])
    _Warm(n_in, n_out, rngs=nnx.Rngs(int(inputs["seed"])))(x).block_until_ready()
    nnx.Linear(n_in, n_out, rngs=nnx.Rngs(int(inputs["seed"])))(x).block_until_ready()
