import jax
import jax.numpy as jnp
from flax import nnx


def dropout_modes(seed, x, rate):
    """Run a dropout module on `x` in training mode, then in evaluation mode; return both outputs."""

    class DropoutBlock(nnx.Module):
        def __init__(self, rate, *, rngs):
            # TODO: store an nnx.Dropout layer that takes its keys from rngs
            raise NotImplementedError("create self.dropout here")

        def __call__(self, x):
            # TODO: apply the dropout layer to x
            raise NotImplementedError("apply the dropout layer here")

    # TODO: build nnx.Rngs with a `dropout` stream from the seed and construct DropoutBlock
    # TODO: switch to training mode and call the model on x -> train
    # TODO: switch to evaluation mode and call the model on x -> eval
    raise NotImplementedError("write dropout_modes")
