"""Sandbox-side warm-up: compiles the ops a typical answer uses, on one test's shapes.

Fresh workers run `warm` only; a warm template (playground/sandbox/template.py) also runs
`warm_spellings`, the other ways correct and common wrong answers are written.
"""

import jax
import jax.numpy as jnp
from flax import nnx

from playground.warming import run_each


class _Warm(nnx.Module):
    def __init__(self, in_features: int, hidden: int, out_features: int, *, rngs: nnx.Rngs):
        self.linear1 = nnx.Linear(in_features, hidden, rngs=rngs)
        self.linear2 = nnx.Linear(hidden, out_features, rngs=rngs)

    def __call__(self, x: jax.Array) -> jax.Array:
        return self.linear2(nnx.relu(self.linear1(x)))


def warm(inputs: dict) -> object:
    """Build the MLP and run it once so XLA has compiled its ops for this test's shapes."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    rngs = nnx.Rngs(int(inputs["seed"]))
    return _Warm(x.shape[-1], int(inputs["hidden"]), int(inputs["features"]), rngs=rngs)(x).block_until_ready()


def warm_spellings(inputs: dict) -> None:
    """Other activations (`jnp.maximum`, `jax.nn.relu`, `where`), hand-made layers, and the wrong orders."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    seed, hidden, out = int(inputs["seed"]), int(inputs["hidden"]), int(inputs["features"])
    rngs = nnx.Rngs(seed)
    first = nnx.Linear(x.shape[-1], hidden, rngs=rngs)
    second = nnx.Linear(hidden, out, rngs=rngs)
    h = first(x)
    run_each([
        lambda: jnp.maximum(h, 0.0),
        lambda: jnp.maximum(h, 0),
        lambda: jnp.maximum(0.0, h),
        lambda: jax.nn.relu(h),
        lambda: jnp.where(h > 0, h, 0.0),
        lambda: h * (h > 0),
        lambda: jnp.clip(h, 0.0),
        lambda: nnx.gelu(h),
        lambda: nnx.sigmoid(h),
        lambda: jnp.tanh(h),
        lambda: second(h),
        lambda: nnx.relu(second(nnx.relu(h))),
        lambda: jnp.dot(x, first.kernel.value) + first.bias.value,
        lambda: jnp.dot(nnx.relu(h), second.kernel.value) + second.bias.value,
        lambda: nnx.relu(h) @ second.kernel[...] + second.bias[...],
        lambda: x[None, :] @ first.kernel[...] + first.bias[...],
    ])
