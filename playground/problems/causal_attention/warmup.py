"""Sandbox-side warm-up: compiles the ops a typical attention answer uses, on one test's shapes."""

import jax
import jax.numpy as jnp
from flax import nnx


def warm(inputs: dict) -> None:
    """Three projections, masked scaled scores, a softmax and the weighted sum, run once."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    length, model_dim, head_dim = x.shape[0], x.shape[-1], int(inputs["head_dim"])
    rngs = nnx.Rngs(int(inputs["seed"]))
    q, k, v = (nnx.Linear(model_dim, head_dim, rngs=rngs)(x) for _ in range(3))
    scores = q @ k.T / jnp.sqrt(head_dim)
    allowed = jnp.tril(jnp.ones((length, length), dtype=bool))
    weights = jax.nn.softmax(jnp.where(allowed, scores, -jnp.inf), axis=-1)
    # Other common spellings of the same steps: einsum, a mask from arange or a float tril,
    # a large negative number instead of -inf, a Python-float scale.
    einsum_scores = jnp.einsum("id,jd->ij", q, k) / head_dim**0.5
    future = jnp.arange(length)[None, :] > jnp.arange(length)[:, None]
    float_mask = jnp.tril(jnp.ones((length, length)))
    also = (
        jnp.where(future, -1e9, einsum_scores),
        jnp.where(future, -jnp.inf, scores),
        jnp.where(float_mask == 0, -jnp.inf, scores),
        jnp.where(allowed, scores, -1e9),
        jnp.triu(jnp.ones((length, length), dtype=bool), k=1),
        jnp.matmul(q, k.T),
        q @ jnp.transpose(k),
        scores * allowed,
        scores.sum(axis=-1),
    )
    jax.block_until_ready(
        (weights @ v, jnp.matmul(weights, v), nnx.softmax(scores), jax.nn.softmax(scores, axis=0), also)
    )
