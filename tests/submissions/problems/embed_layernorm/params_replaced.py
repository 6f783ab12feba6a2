# Correct: replaces the LayerNorm's scale and bias with new Params holding the given values.
# expect-status: accepted
import jax.numpy as jnp
from flax import nnx


class EmbedNorm(nnx.Module):
    def __init__(self, vocab, features, epsilon, *, rngs):
        self.embed = nnx.Embed(vocab, features, rngs=rngs)
        self.norm = nnx.LayerNorm(features, epsilon=epsilon, rngs=rngs)

    def __call__(self, ids):
        return self.norm(self.embed(ids))


def embed_layernorm(seed, ids, vocab, epsilon, scale, bias):
    model = EmbedNorm(int(vocab), scale.shape[0], float(epsilon), rngs=nnx.Rngs(int(seed)))
    model.norm.scale = nnx.Param(jnp.asarray(scale))
    model.norm.bias = nnx.Param(jnp.asarray(bias))
    return model(ids.astype(jnp.int32))
