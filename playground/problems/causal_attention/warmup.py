"""Sandbox-side warm-up: compiles the ops a typical attention answer uses, on one test's shapes.

Fresh workers run `warm` only; a warm template (playground/sandbox/template.py) also runs
`warm_spellings`, the other ways correct and common wrong answers are written.
"""

import jax
import jax.numpy as jnp
from flax import nnx

from playground.warming import run_each


def _projections(inputs: dict) -> tuple[jax.Array, ...]:
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    rngs = nnx.Rngs(int(inputs["seed"]))
    return (x, *(nnx.Linear(x.shape[-1], int(inputs["head_dim"]), rngs=rngs)(x) for _ in range(3)))


def warm(inputs: dict) -> object:
    """Three projections, masked scaled scores, a softmax and the weighted sum, run once."""
    x, q, k, v = _projections(inputs)
    length = x.shape[0]
    scores = q @ k.T / jnp.sqrt(q.shape[-1])
    allowed = jnp.tril(jnp.ones((length, length), dtype=bool))
    weights = jax.nn.softmax(jnp.where(allowed, scores, -jnp.inf), axis=-1)
    return jax.block_until_ready((weights @ v, weights))


def warm_spellings(inputs: dict) -> None:
    """einsum, masks from arange or a float tril, -1e9, a Python-float scale, and the misconceptions' steps."""
    x, q, k, v = _projections(inputs)
    length, head_dim = x.shape[0], q.shape[-1]
    scores = q @ k.T / jnp.sqrt(head_dim)
    allowed = jnp.tril(jnp.ones((length, length), dtype=bool))
    future = jnp.arange(length)[None, :] > jnp.arange(length)[:, None]
    float_mask = jnp.tril(jnp.ones((length, length)))
    run_each(
        [
            lambda: jnp.where(future, -1e9, jnp.einsum("id,jd->ij", q, k) / head_dim**0.5),
            lambda: jnp.where(future, -jnp.inf, scores),
            lambda: jnp.where(float_mask == 0, -jnp.inf, scores),
            lambda: jnp.where(allowed, scores, -1e9),
            lambda: jnp.where(allowed, scores, 0.0),
            lambda: jnp.where(allowed, jax.nn.softmax(scores, axis=-1), 0.0),
            lambda: jnp.triu(jnp.ones((length, length), dtype=bool), k=1),
            lambda: jnp.matmul(q, k.T),
            lambda: q @ jnp.transpose(k),
            lambda: scores * allowed,
            lambda: nnx.softmax(scores),
            lambda: jax.nn.softmax(jnp.where(allowed, scores, -jnp.inf), axis=0),
            lambda: jnp.matmul(jax.nn.softmax(scores, axis=-1), v),
            lambda: scores.sum(axis=-1),
        ]
    )
