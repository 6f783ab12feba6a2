import jax
import jax.numpy as jnp
from flax import nnx


def causal_attention(seed, x, head_dim):
    """One causal self-attention head over the tokens of `x`; return (output, weights)."""

    class CausalSelfAttention(nnx.Module):
        def __init__(self, model_dim, head_dim, *, rngs):
            # TODO: self.query, self.key, self.value = three nnx.Linear(model_dim, head_dim),
            #       built in that order from the same rngs
            raise NotImplementedError("create the three projections here")

        def __call__(self, x):
            # TODO: q, k, v; scores = q @ k.T / sqrt(head_dim); hide keys after each query;
            #       weights = softmax over each row; return weights @ v and the weights
            raise NotImplementedError("compute the attention here")

    # TODO: build the head from nnx.Rngs(int(seed)) with model_dim = x.shape[-1], call it on x
    raise NotImplementedError("write causal_attention")
