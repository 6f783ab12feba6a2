# Returns the loss after training first.
# expect-status: wrong_answer
# expect-hint: holds what
import jax.numpy as jnp
import optax
from flax import nnx


def mse(model, x, y):
    return jnp.mean((model(x)[:, 0] - y) ** 2)


def training_step(seed, x, y, learning_rate, steps):
    model = nnx.Linear(x.shape[-1], 1, rngs=nnx.Rngs(int(seed)))
    optimizer = nnx.Optimizer(model, optax.sgd(learning_rate), wrt=nnx.Param)
    before = mse(model, x, y)
    for _ in range(int(steps)):
        _, grads = nnx.value_and_grad(mse)(model, x, y)
        optimizer.update(model, grads)
    return mse(model, x, y), before, model.kernel[...]
