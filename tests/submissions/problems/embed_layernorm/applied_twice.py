# Writes scale and bias into the LayerNorm and then applies them again by hand.
# expect-status: wrong_answer
# expect-hint: scaled and shifted twice
import jax.numpy as jnp
from flax import nnx


def embed_layernorm(seed, ids, vocab, epsilon, scale, bias):
    rngs = nnx.Rngs(int(seed))
    embed = nnx.Embed(int(vocab), scale.shape[0], rngs=rngs)
    norm = nnx.LayerNorm(scale.shape[0], epsilon=float(epsilon), rngs=rngs)
    norm.scale[...] = scale
    norm.bias[...] = bias
    y = norm(embed(ids.astype(jnp.int32)))
    return y * scale + bias
