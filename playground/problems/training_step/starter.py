import jax
import jax.numpy as jnp
import optax
from flax import nnx


def training_step(seed, x, y, learning_rate, steps):
    """Fit nnx.Linear(D, 1) to (x, y) with `steps` SGD steps; return the losses and the final kernel."""
    # TODO: model = nnx.Linear(D, 1, rngs=nnx.Rngs(int(seed))), where D = x.shape[-1]
    # TODO: a loss function taking the model: the mean of the squared errors
    # TODO: optimizer = nnx.Optimizer(model, optax.sgd(learning_rate), wrt=nnx.Param)
    # TODO: loss_before, then int(steps) updates, then loss_after on the updated model
    raise NotImplementedError("write training_step")
