"""Sandbox-side warm-up: compiles the ops a typical answer uses, on one test's shapes.

Fresh workers run `warm` only; a warm template (playground/sandbox/template.py) also runs
`warm_spellings`, the other ways correct and common wrong answers are written.
"""

import jax
import jax.numpy as jnp
import optax
from flax import nnx

from playground.warming import run_each


def _mse(model: nnx.Linear, x: jax.Array, y: jax.Array) -> jax.Array:
    return jnp.mean((model(x)[:, 0] - y) ** 2)


def _mse_column(model: nnx.Linear, x: jax.Array, y: jax.Array) -> jax.Array:
    # Other common spellings: compare with y as a column, or squeeze the prediction.
    return jnp.mean(jnp.square(model(x) - y[:, None])) + ((model(x).squeeze(-1) - y) ** 2).mean()


def warm(inputs: dict) -> object:
    """One optimizer step, eagerly, so XLA has compiled every op of it for this shape."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    y = jnp.asarray(inputs["y"], dtype=jnp.float32)
    model = nnx.Linear(x.shape[-1], 1, rngs=nnx.Rngs(int(inputs["seed"])))
    optimizer = nnx.Optimizer(model, optax.sgd(float(inputs["learning_rate"])), wrt=nnx.Param)
    loss_before = _mse(model, x, y)
    for loss_fn in (_mse, _mse_column):
        _, grads = nnx.value_and_grad(loss_fn)(model, x, y)
        optimizer.update(model, grads)
    # The losses outside the gradient run op by op, so each spelling compiles its own ops.
    return jax.block_until_ready((loss_before, _mse(model, x, y), _mse_column(model, x, y), model.kernel[...]))


def _loss_square(model: nnx.Linear, x: jax.Array, y: jax.Array) -> jax.Array:
    return jnp.mean(jnp.square(model(x).squeeze(-1) - y))


def _loss_sum(model: nnx.Linear, x: jax.Array, y: jax.Array) -> jax.Array:
    return jnp.sum((model(x)[:, 0] - y) ** 2)


def _loss_flat(model: nnx.Linear, x: jax.Array, y: jax.Array) -> jax.Array:
    return ((model(x).reshape(-1) - y) ** 2).mean()


def _loss_broadcast(model: nnx.Linear, x: jax.Array, y: jax.Array) -> jax.Array:
    return jnp.mean((model(x) - y) ** 2)


def warm_spellings(inputs: dict) -> None:
    """Other losses (`jnp.square`, `.squeeze`, `.reshape`, sums), `nnx.grad`, and `.value` reads."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    y = jnp.asarray(inputs["y"], dtype=jnp.float32)
    model = nnx.Linear(x.shape[-1], 1, rngs=nnx.Rngs(int(inputs["seed"])))
    optimizer = nnx.Optimizer(model, optax.sgd(learning_rate=0.1), wrt=nnx.Param)
    steps = []
    for loss_fn in (_loss_square, _loss_sum, _loss_flat, _loss_broadcast):
        steps.append(lambda loss_fn=loss_fn: loss_fn(model, x, y))
        steps.append(lambda loss_fn=loss_fn: optimizer.update(model, nnx.grad(loss_fn)(model, x, y)))
        steps.append(lambda loss_fn=loss_fn: optimizer.update(model, nnx.value_and_grad(loss_fn)(model, x, y)[1]))
    steps.append(lambda: model.kernel.value)
    run_each(steps)
