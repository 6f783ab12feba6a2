"""Reference solution for training_step (trusted; never shown to the sandbox)."""

import jax
import jax.numpy as jnp
import optax
from flax import nnx


def mse(model: nnx.Linear, x: jax.Array, y: jax.Array) -> jax.Array:
    """Mean squared error of the model's predictions; the (N, 1) output is flattened to (N,) first."""
    prediction = model(x)[:, 0]
    return jnp.mean((prediction - y) ** 2)


def training_step(seed: float, x: jax.Array, y: jax.Array, learning_rate: float, steps: float):
    """Train a linear model with plain SGD for `steps` steps; report the losses and the final kernel."""
    x = jnp.asarray(x, dtype=jnp.float32)
    y = jnp.asarray(y, dtype=jnp.float32)
    model = nnx.Linear(x.shape[-1], 1, rngs=nnx.Rngs(int(seed)))
    # The optimizer keeps the optax state for the nnx.Param variables; it does not hold the model.
    optimizer = nnx.Optimizer(model, optax.sgd(learning_rate), wrt=nnx.Param)
    loss_before = mse(model, x, y)
    for _ in range(int(steps)):
        _, grads = nnx.value_and_grad(mse)(model, x, y)  # grads: a State shaped like the params
        optimizer.update(model, grads)  # params <- params - learning_rate * grads, in place
    loss_after = mse(model, x, y)
    return loss_before, loss_after, model.kernel[...]
