# Trains with Adam, the usual default optimiser.
# expect-status: wrong_answer
# expect-hint: Adam
import jax.numpy as jnp
import optax
from flax import nnx


def mse(model, x, y):
    return jnp.mean((model(x)[:, 0] - y) ** 2)


def training_step(seed, x, y, learning_rate, steps):
    model = nnx.Linear(x.shape[-1], 1, rngs=nnx.Rngs(int(seed)))
    optimizer = nnx.Optimizer(model, optax.adam(learning_rate), wrt=nnx.Param)
    first = mse(model, x, y)
    for _ in range(int(steps)):
        optimizer.update(model, nnx.grad(mse)(model, x, y))
    return first, mse(model, x, y), model.kernel[...]
