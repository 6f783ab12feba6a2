"""Sandbox-side warm-up: compiles the ops a typical answer uses, on one test's shapes."""

import jax
import jax.numpy as jnp
from flax import nnx


class _Warm(nnx.Module):
    def __init__(self, in_features: int, hidden: int, out_features: int, *, rngs: nnx.Rngs):
        self.linear1 = nnx.Linear(in_features, hidden, rngs=rngs)
        self.linear2 = nnx.Linear(hidden, out_features, rngs=rngs)

    def __call__(self, x: jax.Array) -> jax.Array:
        return self.linear2(nnx.relu(self.linear1(x)))


def warm(inputs: dict) -> None:
    """Build the MLP and run it once so XLA has compiled its ops for this test's shapes."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    rngs = nnx.Rngs(int(inputs["seed"]))
    _Warm(x.shape[-1], int(inputs["hidden"]), int(inputs["features"]), rngs=rngs)(x).block_until_ready()
