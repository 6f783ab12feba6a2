# Reuses the query projection for the keys (copy-paste slip).
# expect-status: wrong_answer
# expect-hint: k comes from the query layer
import jax
import jax.numpy as jnp
from flax import nnx


class Head(nnx.Module):
    def __init__(self, d, h, rngs):
        self.query = nnx.Linear(d, h, rngs=rngs)
        self.key = nnx.Linear(d, h, rngs=rngs)
        self.value = nnx.Linear(d, h, rngs=rngs)

    def __call__(self, x):
        q = self.query(x)
        k = self.query(x)
        v = self.value(x)
        scores = q @ k.T / jnp.sqrt(q.shape[-1])
        mask = jnp.tril(jnp.ones((x.shape[0], x.shape[0]))) == 1
        weights = jax.nn.softmax(jnp.where(mask, scores, -jnp.inf), axis=-1)
        return weights @ v, weights


def causal_attention(seed, x, head_dim):
    return Head(x.shape[-1], int(head_dim), nnx.Rngs(int(seed)))(x)
