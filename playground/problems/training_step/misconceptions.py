"""Known wrong answers to training_step, each computed by trusted code, with its hint."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from playground.problems import Misconception


def _mean_loss(model: nnx.Linear, x: jax.Array, y: jax.Array) -> jax.Array:
    return jnp.mean((model(x)[:, 0] - y) ** 2)


def _sum_loss(model: nnx.Linear, x: jax.Array, y: jax.Array) -> jax.Array:
    return jnp.sum((model(x)[:, 0] - y) ** 2)


def _broadcast_loss(model: nnx.Linear, x: jax.Array, y: jax.Array) -> jax.Array:
    # (N, 1) - (N,) broadcasts to an (N, N) matrix of every prediction against every target.
    return jnp.mean((model(x) - y) ** 2)


def _train(
    inputs: dict,
    *,
    loss_fn=_mean_loss,
    tx=None,
    extra_steps: int = 0,
    update: bool = True,
    report_last_step_loss: bool = False,
    use_bias: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The reference's training loop with one thing changed, chosen by the keyword arguments."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    y = jnp.asarray(inputs["y"], dtype=jnp.float32)
    model = nnx.Linear(x.shape[-1], 1, use_bias=use_bias, rngs=nnx.Rngs(int(inputs["seed"])))
    optimizer = nnx.Optimizer(model, tx if tx is not None else optax.sgd(inputs["learning_rate"]), wrt=nnx.Param)
    loss_before = loss_fn(model, x, y)
    last_loss = loss_before
    for _ in range(max(int(inputs["steps"]) + extra_steps, 0)):
        last_loss, grads = nnx.value_and_grad(loss_fn)(model, x, y)
        if update:
            optimizer.update(model, grads)
    loss_after = last_loss if report_last_step_loss else loss_fn(model, x, y)
    return np.asarray(loss_before), np.asarray(loss_after), np.asarray(model.kernel[...])


MISCONCEPTIONS = (
    Misconception(
        "gradient_ascent",
        "Your loss goes up: the parameters moved along the gradient instead of against it. Use "
        "optax.sgd(learning_rate) with a positive rate and let optimizer.update subtract the step; "
        "do not negate the gradients or the rate.",
        lambda inputs: _train(inputs, tx=optax.sgd(-inputs["learning_rate"])),
        pitfall="Negating the gradients or the learning rate",
    ),
    Misconception(
        "sum_loss",
        "Your loss is the sum of the squared errors, not their mean: use jnp.mean(...), so the "
        "loss (and the gradient step) does not grow with the number of examples.",
        lambda inputs: _train(inputs, loss_fn=_sum_loss),
        pitfall="Summing the squared errors",
    ),
    Misconception(
        "broadcast_loss",
        "model(x) has shape (N, 1) and y has shape (N,): subtracting them broadcasts to an (N, N) "
        "matrix, so every prediction is compared with every target. Flatten the prediction first, "
        "e.g. model(x)[:, 0] - y (or compare with y[:, None]).",
        lambda inputs: _train(inputs, loss_fn=_broadcast_loss),
        pitfall="without flattening it",
    ),
    Misconception(
        "one_extra_step",
        "You made one update too many: run exactly int(steps) updates, e.g. "
        "for _ in range(int(steps)), with the first loss measured before the loop.",
        lambda inputs: _train(inputs, extra_steps=1),
        pitfall="Making one update too many or too few",
    ),
    Misconception(
        "one_step_short",
        "You made one update too few: run exactly int(steps) updates, e.g. "
        "for _ in range(int(steps)); range(int(steps) - 1) or starting at 1 skips one.",
        lambda inputs: _train(inputs, extra_steps=-1),
        pitfall="Making one update too many or too few",
    ),
    Misconception(
        "last_step_loss",
        "Your loss_after is the loss computed inside the last step, before that step's update. "
        "After the loop, evaluate the loss once more on the updated model and return that.",
        lambda inputs: _train(inputs, report_last_step_loss=True),
        pitfall="the loss that `value_and_grad` computed in the last step",
    ),
    Misconception(
        "no_update",
        "Your model never changed: the loss after equals the loss before and the kernel is the "
        "initial one. Call optimizer.update(model, grads) with the model first, and make the loss "
        "function use the model it receives as its argument (not the outer one), or the gradients "
        "are all zero.",
        lambda inputs: _train(inputs, update=False),
    ),
    Misconception(
        "fixed_learning_rate",
        "Your steps look like they used a learning rate of 1e-3 rather than the learning_rate "
        "argument: build the optimizer with optax.sgd(learning_rate).",
        lambda inputs: _train(inputs, tx=optax.sgd(1e-3)),
        pitfall="hard-coding a learning rate",
    ),
    Misconception(
        "adam",
        "These steps match Adam, not plain gradient descent: use optax.sgd(learning_rate), whose "
        "step is exactly learning_rate times the gradient.",
        lambda inputs: _train(inputs, tx=optax.adam(inputs["learning_rate"])),
        pitfall="another optimizer such as Adam",
    ),
    Misconception(
        "no_bias",
        "Your model has no bias, so it cannot fit an offset: build nnx.Linear(D, 1, rngs=...) with "
        "its default use_bias=True.",
        lambda inputs: _train(inputs, use_bias=False),
    ),
)
