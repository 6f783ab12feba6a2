"""Reference solution for mlp_relu (trusted; never shown to the sandbox)."""

import jax
import jax.numpy as jnp
from flax import nnx


class MLP(nnx.Module):
    """Two nnx.Linear layers with a ReLU between them: in -> hidden -> out."""

    def __init__(self, in_features: int, hidden: int, out_features: int, *, rngs: nnx.Rngs):
        # Construction order is key order: linear1 takes the stream's first two keys
        # (kernel, bias), linear2 the next two.
        self.linear1 = nnx.Linear(in_features, hidden, rngs=rngs)
        self.linear2 = nnx.Linear(hidden, out_features, rngs=rngs)

    def __call__(self, x: jax.Array) -> jax.Array:
        return self.linear2(nnx.relu(self.linear1(x)))


def mlp_relu(seed: float, x: jax.Array, hidden: float, features: float) -> jax.Array:
    """Build the MLP from the seed, run it on x and return the output vector."""
    x = jnp.asarray(x, dtype=jnp.float32)
    model = MLP(x.shape[-1], int(hidden), int(features), rngs=nnx.Rngs(int(seed)))
    return model(x)
