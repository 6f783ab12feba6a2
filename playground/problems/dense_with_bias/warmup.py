"""Sandbox-side warm-up: compiles the ops a typical answer uses, on one test's shapes.

Fresh workers run `warm` only; a warm template (playground/sandbox/template.py) also runs
`warm_spellings`, the other ways correct and common wrong answers are written.
"""

import jax
import jax.numpy as jnp
from flax import nnx

from playground.warming import run_each


class _Warm(nnx.Module):
    def __init__(self, in_features: int, out_features: int, *, rngs: nnx.Rngs):
        kernel = nnx.initializers.lecun_normal()(rngs.params(), (in_features, out_features), jnp.float32)
        self.kernel = nnx.Param(kernel)
        self.bias = nnx.Param(nnx.initializers.zeros_init()(rngs.params(), (out_features,), jnp.float32))

    def __call__(self, x: jax.Array) -> jax.Array:
        return x @ self.kernel[...] + self.bias[...]


def warm(inputs: dict) -> object:
    """Build the layer by hand and as nnx.Linear, and run both once so XLA has compiled them."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    n_in, n_out = x.shape[-1], int(inputs["features"])
    _Warm(n_in, n_out, rngs=nnx.Rngs(int(inputs["seed"])))(x).block_until_ready()
    return nnx.Linear(n_in, n_out, rngs=nnx.Rngs(int(inputs["seed"])))(x).block_until_ready()


def warm_spellings(inputs: dict) -> None:
    """`.value`, `jnp.dot`/`matmul`/`einsum`, hand-made inits, and the misconceptions' wrong kernels."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    n_in, n_out = x.shape[-1], int(inputs["features"])
    rngs = nnx.Rngs(int(inputs["seed"]))
    key = rngs.params()
    kernel = nnx.initializers.lecun_normal()(key, (n_in, n_out), jnp.float32)
    bias = jnp.zeros((n_out,))
    run_each([
        lambda: jax.nn.initializers.lecun_normal()(key, (n_in, n_out)),
        lambda: jnp.dot(x, kernel) + bias,
        lambda: jnp.matmul(x, kernel) + bias,
        lambda: jnp.einsum("i,io->o", x, kernel) + bias,
        lambda: x @ kernel,
        lambda: x @ kernel + jnp.zeros(n_out),
        lambda: x @ kernel + jnp.zeros((n_out,), dtype=jnp.float32),
        lambda: x @ kernel + jnp.ones((n_out,)),
        lambda: jax.random.normal(key, (n_in, n_out)) / jnp.sqrt(n_in),
        lambda: jax.random.normal(key, (n_in, n_out)) * jnp.sqrt(1.0 / n_in),
        lambda: jax.random.truncated_normal(key, -2.0, 2.0, (n_in, n_out)),
        lambda: jax.random.truncated_normal(key, -2.0, 2.0, (n_in, n_out)) / jnp.sqrt(n_in),
        lambda: nnx.initializers.lecun_normal()(key, (n_out, n_in), jnp.float32) @ x,
        lambda: nnx.initializers.xavier_uniform()(key, (n_in, n_out), jnp.float32),
        lambda: nnx.initializers.he_normal()(key, (n_in, n_out), jnp.float32),
        lambda: x[None, :] @ kernel + bias,
        lambda: nnx.Linear(n_in, n_out, use_bias=False, rngs=nnx.Rngs(int(inputs["seed"])))(x),
    ])
