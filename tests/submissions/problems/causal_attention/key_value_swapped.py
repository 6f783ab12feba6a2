# Builds the value projection before the key projection.
# expect-status: wrong_answer
# expect-hint: key and value projections are swapped
import jax
import jax.numpy as jnp
from flax import nnx


class Attention(nnx.Module):
    def __init__(self, d, h, *, rngs):
        self.query = nnx.Linear(d, h, rngs=rngs)
        self.value = nnx.Linear(d, h, rngs=rngs)
        self.key = nnx.Linear(d, h, rngs=rngs)

    def __call__(self, x):
        q, k, v = self.query(x), self.key(x), self.value(x)
        t = x.shape[0]
        scores = q @ k.T / jnp.sqrt(q.shape[-1])
        scores = jnp.where(jnp.tril(jnp.ones((t, t))) > 0, scores, -1e9)
        weights = jax.nn.softmax(scores, axis=-1)
        return weights @ v, weights


def causal_attention(seed, x, head_dim):
    return Attention(x.shape[-1], int(head_dim), rngs=nnx.Rngs(int(seed)))(x)
