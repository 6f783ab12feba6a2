# Leaves epsilon at the LayerNorm's default.
# expect-status: wrong_answer
# expect-hint: default epsilon
import jax.numpy as jnp
from flax import nnx


class EmbedNorm(nnx.Module):
    def __init__(self, vocab, features, rngs):
        self.embed = nnx.Embed(vocab, features, rngs=rngs)
        self.norm = nnx.LayerNorm(features, rngs=rngs)

    def __call__(self, ids):
        return self.norm(self.embed(ids))


def embed_layernorm(seed, ids, vocab, epsilon, scale, bias):
    model = EmbedNorm(int(vocab), len(scale), nnx.Rngs(int(seed)))
    model.norm.scale[...] = scale
    model.norm.bias[...] = bias
    return model(ids.astype(jnp.int32))
