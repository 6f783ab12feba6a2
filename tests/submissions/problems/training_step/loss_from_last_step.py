# Keeps the loss value_and_grad returned in the last step as loss_after.
# expect-status: wrong_answer
# expect-hint: computed inside the last step
import jax.numpy as jnp
import optax
from flax import nnx


def mse(model, x, y):
    return jnp.mean((model(x)[:, 0] - y) ** 2)


def training_step(seed, x, y, learning_rate, steps):
    model = nnx.Linear(x.shape[-1], 1, rngs=nnx.Rngs(int(seed)))
    optimizer = nnx.Optimizer(model, optax.sgd(learning_rate), wrt=nnx.Param)
    loss_before = mse(model, x, y)
    loss = loss_before
    for _ in range(int(steps)):
        loss, grads = nnx.value_and_grad(mse)(model, x, y)
        optimizer.update(model, grads)
    return loss_before, loss, model.kernel[...]
