import jax
import jax.numpy as jnp
from flax import nnx


def state_roundtrip(seed, x, features, shift):
    """Split the model, count its parameters, shift them into a new model, and run both models on x."""
    rngs = nnx.Rngs(int(seed))
    model = nnx.Sequential(
        nnx.Linear(x.shape[-1], int(features), rngs=rngs),
        nnx.BatchNorm(int(features), use_running_average=True, rngs=rngs),
    )

    # TODO: split the model into its graphdef, its nnx.Param state and the rest
    # TODO: count = the number of numbers in all the nnx.Param arrays
    # TODO: add shift to every parameter (not to the batch statistics) and merge a new model
    # TODO: return (count, model(x), new_model(x)), calling the models after the merge
    raise NotImplementedError("write state_roundtrip")
