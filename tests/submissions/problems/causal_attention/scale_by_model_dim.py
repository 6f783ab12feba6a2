# Scales by the square root of the input width.
# expect-status: wrong_answer
# expect-hint: width (model_dim)
import math

import jax
import jax.numpy as jnp
from flax import nnx


def causal_attention(seed, x, head_dim):
    rngs = nnx.Rngs(int(seed))
    d = x.shape[-1]
    q_proj, k_proj, v_proj = (nnx.Linear(d, int(head_dim), rngs=rngs) for _ in range(3))
    q, k, v = q_proj(x), k_proj(x), v_proj(x)
    scores = q @ k.T / math.sqrt(d)
    t = x.shape[0]
    scores = jnp.where(jnp.arange(t)[None, :] <= jnp.arange(t)[:, None], scores, -jnp.inf)
    weights = jax.nn.softmax(scores)
    return weights @ v, weights
