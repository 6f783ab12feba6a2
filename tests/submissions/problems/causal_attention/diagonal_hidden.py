# Uses k=-1 so that a token "does not attend to itself": the first row has no key left.
# expect-status: wrong_answer
# expect-hint: NaN
import jax
import jax.numpy as jnp
from flax import nnx


def causal_attention(seed, x, head_dim):
    rngs = nnx.Rngs(int(seed))
    h = int(head_dim)
    q = nnx.Linear(x.shape[-1], h, rngs=rngs)(x)
    k = nnx.Linear(x.shape[-1], h, rngs=rngs)(x)
    v = nnx.Linear(x.shape[-1], h, rngs=rngs)(x)
    t = x.shape[0]
    allowed = jnp.tril(jnp.ones((t, t), dtype=bool), k=-1)
    weights = jax.nn.softmax(jnp.where(allowed, q @ k.T / jnp.sqrt(h), -jnp.inf), axis=-1)
    return weights @ v, weights
