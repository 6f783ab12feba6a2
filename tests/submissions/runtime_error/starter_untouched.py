# The starter code as shipped, untouched.
# expect-hint: starter code
import jax
import jax.numpy as jnp
from flax import nnx


def module_basics_forward(seed, x, features):
    """Build a one-parameter nnx module from `seed`, call it on `x`, return its output."""

    class Dense(nnx.Module):
        def __init__(self, in_features, out_features, *, rngs):
            # TODO: draw one key with rngs.params() and store the kernel as an nnx.Param
            raise NotImplementedError("create self.kernel here")

        def __call__(self, x):
            # TODO: return x @ kernel
            raise NotImplementedError("compute the forward pass here")

    # TODO: build nnx.Rngs from the seed, construct Dense, call it on x and return the output
    raise NotImplementedError("write module_basics_forward")
