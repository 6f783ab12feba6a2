"""Reference solution for causal_attention (trusted; never shown to the sandbox)."""

import jax
import jax.numpy as jnp
from flax import nnx


class CausalSelfAttention(nnx.Module):
    """One attention head: query, key and value projections, then masked scaled dot-product attention."""

    def __init__(self, model_dim: int, head_dim: int, *, rngs: nnx.Rngs):
        # Built in this order from one Rngs, so each projection draws its own keys from the stream.
        self.query = nnx.Linear(model_dim, head_dim, rngs=rngs)
        self.key = nnx.Linear(model_dim, head_dim, rngs=rngs)
        self.value = nnx.Linear(model_dim, head_dim, rngs=rngs)
        self.head_dim = head_dim

    def __call__(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        q, k, v = self.query(x), self.key(x), self.value(x)
        scores = q @ k.T / jnp.sqrt(self.head_dim)  # (T, T): row i = query i against every key
        length = x.shape[0]
        allowed = jnp.tril(jnp.ones((length, length), dtype=bool))  # key j <= query i
        scores = jnp.where(allowed, scores, -jnp.inf)  # exp(-inf) = 0: no weight on the future
        weights = jax.nn.softmax(scores, axis=-1)  # each row sums to 1
        return weights @ v, weights


def causal_attention(seed: float, x: jax.Array, head_dim: float) -> tuple[jax.Array, jax.Array]:
    """Build the head from the seed, run it on the sequence x, return (output, weights)."""
    x = jnp.asarray(x, dtype=jnp.float32)
    attention = CausalSelfAttention(x.shape[-1], int(head_dim), rngs=nnx.Rngs(int(seed)))
    return attention(x)
