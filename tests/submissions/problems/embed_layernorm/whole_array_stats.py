# Normalises by hand with the mean and variance of the whole array.
# expect-status: wrong_answer
# expect-hint: whole (tokens, features) array
import jax.numpy as jnp
from flax import nnx


def embed_layernorm(seed, ids, vocab, epsilon, scale, bias):
    rngs = nnx.Rngs(int(seed))
    embed = nnx.Embed(int(vocab), len(scale), rngs=rngs)
    nnx.LayerNorm(len(scale), rngs=rngs)
    rows = embed(ids.astype(int))
    normalised = (rows - rows.mean()) / jnp.sqrt(rows.var() + epsilon)
    return normalised * scale + bias
