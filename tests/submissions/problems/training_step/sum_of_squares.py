# Sums the squared errors.
# expect-status: wrong_answer
# expect-hint: sum of the squared errors
import jax.numpy as jnp
import optax
from flax import nnx


def loss_fn(model, x, y):
    return jnp.sum((model(x).squeeze(-1) - y) ** 2)


def training_step(seed, x, y, learning_rate, steps):
    model = nnx.Linear(x.shape[-1], 1, rngs=nnx.Rngs(int(seed)))
    optimizer = nnx.Optimizer(model, optax.sgd(learning_rate), wrt=nnx.Param)
    before = loss_fn(model, x, y)
    for _ in range(int(steps)):
        grads = nnx.grad(loss_fn)(model, x, y)
        optimizer.update(model, grads)
    return before, loss_fn(model, x, y), model.kernel[...]
