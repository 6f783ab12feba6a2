# Adds epsilon to the standard deviation.
# expect-status: wrong_answer
# expect-hint: after the square root
import jax.numpy as jnp
from flax import nnx


def embed_layernorm(seed, ids, vocab, epsilon, scale, bias):
    rngs = nnx.Rngs(int(seed))
    table = nnx.Embed(int(vocab), len(scale), rngs=rngs)
    nnx.LayerNorm(len(scale), rngs=rngs)
    rows = table(jnp.asarray(ids, dtype=jnp.int32))
    centred = rows - rows.mean(axis=-1, keepdims=True)
    return centred / (rows.std(axis=-1, keepdims=True) + epsilon) * scale + bias
