# Builds the mask with k=1, thinking it includes the diagonal.
# expect-status: wrong_answer
# expect-hint: one token ahead
import jax
import jax.numpy as jnp
from flax import nnx


def causal_attention(seed, x, head_dim):
    rngs = nnx.Rngs(int(seed))
    h = int(head_dim)
    query = nnx.Linear(x.shape[1], h, rngs=rngs)
    key = nnx.Linear(x.shape[1], h, rngs=rngs)
    value = nnx.Linear(x.shape[1], h, rngs=rngs)
    q, k, v = query(x), key(x), value(x)
    t = x.shape[0]
    scores = jnp.einsum("id,jd->ij", q, k) / jnp.sqrt(h)
    scores = jnp.where(jnp.tril(jnp.ones((t, t), dtype=bool), k=1), scores, -jnp.inf)
    weights = jax.nn.softmax(scores, axis=-1)
    return weights @ v, weights
