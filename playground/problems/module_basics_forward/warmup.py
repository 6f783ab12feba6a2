"""Sandbox-side warm-up: compiles the ops that correct and common wrong answers use, on one test's shapes.

Derived from the golden submissions and the misconceptions: `[...]` or `.value`, scaling by
`* (1 / math.sqrt(n))`, `/ math.sqrt(n)` or `/ jnp.sqrt(n)`, `@`, `jnp.dot`, `jnp.matmul` or
`einsum`, `nnx.Linear` instead of a hand-made layer, a stray bias, a transposed kernel, uniform
draws, and a batch of one. Each spelling is warmed on its own, so one that fails skips only itself.
Fresh workers run `warm` only; a warm template (playground/sandbox/template.py) runs both.
"""

import math

import jax
import jax.numpy as jnp
from flax import nnx

from playground.warming import run_each


class _Warm(nnx.Module):
    def __init__(self, in_features: int, out_features: int, *, rngs: nnx.Rngs):
        scale = 1.0 / math.sqrt(in_features)
        self.kernel = nnx.Param(jax.random.normal(rngs.params(), (in_features, out_features)) * scale)

    def __call__(self, x: jax.Array) -> jax.Array:
        return x @ self.kernel[...]


def _spellings(x: jax.Array, n_in: int, n_out: int, seed: int) -> list:
    key = nnx.Rngs(seed).params()
    normal = jax.random.normal(key, (n_in, n_out))
    kernel = normal / math.sqrt(n_in)
    return [
        lambda: normal / jnp.sqrt(n_in),
        lambda: normal / jnp.sqrt(float(n_in)),
        lambda: normal * (1 / jnp.sqrt(n_in)),
        lambda: jnp.dot(x, kernel),
        lambda: jnp.matmul(x, kernel),
        lambda: jnp.einsum("i,io->o", x, kernel),
        lambda: x[None, :] @ kernel,
        lambda: (x[None, :] @ kernel)[0],
        lambda: x.reshape(1, -1) @ kernel,
        lambda: kernel.T @ x,
        lambda: (jax.random.normal(key, (n_out, n_in)) / math.sqrt(n_in)) @ x,
        lambda: jax.random.uniform(key, (n_in, n_out)) / math.sqrt(n_in),
        lambda: x @ kernel + jax.random.normal(key, (n_out,)),
        lambda: x @ kernel + jnp.zeros((n_out,)),
        lambda: nnx.Linear(n_in, n_out, rngs=nnx.Rngs(seed))(x),
        lambda: nnx.Linear(n_in, n_out, use_bias=False, rngs=nnx.Rngs(seed))(x),
    ]


def warm(inputs: dict) -> object:
    """Run the usual construction and forward pass once so XLA has compiled them (every fresh worker)."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    return _Warm(x.shape[-1], int(inputs["features"]), rngs=nnx.Rngs(int(inputs["seed"])))(x).block_until_ready()


def warm_spellings(inputs: dict) -> None:
    """Run every other spelling once (a warm template only: each costs a fresh worker a cache read)."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    run_each(_spellings(x, x.shape[-1], int(inputs["features"]), int(inputs["seed"])))
