"""Reference solution for embed_layernorm (trusted; never shown to the sandbox)."""

import jax
import jax.numpy as jnp
from flax import nnx


class EmbedNorm(nnx.Module):
    """Token embeddings, each row normalised over its features by a LayerNorm."""

    def __init__(self, vocab: int, features: int, epsilon: float, *, rngs: nnx.Rngs):
        # The Embed draws its key first, then the LayerNorm draws two (scale, bias).
        self.embed = nnx.Embed(vocab, features, rngs=rngs)
        self.norm = nnx.LayerNorm(features, epsilon=epsilon, rngs=rngs)

    def __call__(self, ids: jax.Array) -> jax.Array:
        return self.norm(self.embed(ids))


def embed_layernorm(seed: float, ids: jax.Array, vocab: float, epsilon: float, scale: jax.Array, bias: jax.Array) -> jax.Array:
    """Look the ids up, normalise each token's vector with the given scale and bias; (tokens, features)."""
    scale = jnp.asarray(scale, dtype=jnp.float32)
    model = EmbedNorm(int(vocab), scale.shape[0], float(epsilon), rngs=nnx.Rngs(int(seed)))
    model.norm.scale[...] = scale
    model.norm.bias[...] = jnp.asarray(bias, dtype=jnp.float32)
    # Ids arrive as floats holding whole numbers; a lookup needs integers.
    return model(jnp.asarray(ids).astype(jnp.int32))
