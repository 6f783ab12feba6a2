# Builds the LayerNorm with the right epsilon but never loads scale and bias.
# expect-status: wrong_answer
# expect-hint: without the given scale and bias
import jax.numpy as jnp
from flax import nnx


def embed_layernorm(seed, ids, vocab, epsilon, scale, bias):
    rngs = nnx.Rngs(int(seed))
    embed = nnx.Embed(int(vocab), scale.shape[-1], rngs=rngs)
    norm = nnx.LayerNorm(scale.shape[-1], epsilon=epsilon, rngs=rngs)
    return norm(embed(ids.astype(jnp.int32)))
