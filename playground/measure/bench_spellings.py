"""A second correct answer per problem, spelled the way learners often write it, for the benchmark.

The reference solutions are written one way; learners reach the same numbers with `.value`
instead of `[...]`, `jnp.sqrt` of a Python number, `jnp.dot`, `jnp.maximum`, `nnx.grad` and so on,
and each spelling may need XLA ops a worker's warm-up never compiled. The benchmark times both.
"""

from __future__ import annotations

SPELLINGS: dict[str, str] = {
    "module_basics_forward": '''
import jax
import jax.numpy as jnp
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, in_features, out_features, *, rngs):
        self.kernel = nnx.Param(jax.random.normal(rngs.params(), (in_features, out_features)) / jnp.sqrt(in_features))

    def __call__(self, x):
        return x @ self.kernel.value


def module_basics_forward(seed, x, features):
    return Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))(x)
''',
    "dense_with_bias": '''
import jax
import jax.numpy as jnp
from flax import nnx


class Dense(nnx.Module):
    def __init__(self, n_in, n_out, rngs):
        self.kernel = nnx.Param(jax.nn.initializers.lecun_normal()(rngs.params(), (n_in, n_out)))
        self.bias = nnx.Param(jnp.zeros((n_out,)))

    def __call__(self, x):
        return jnp.dot(x, self.kernel.value) + self.bias.value


def dense_with_bias(seed, x, features):
    return Dense(x.shape[-1], int(features), nnx.Rngs(int(seed)))(x)
''',
    "mlp_relu": '''
import jax.numpy as jnp
from flax import nnx


class MLP(nnx.Module):
    def __init__(self, n_in, n_hidden, n_out, rngs):
        self.hidden = nnx.Linear(n_in, n_hidden, rngs=rngs)
        self.out = nnx.Linear(n_hidden, n_out, rngs=rngs)

    def __call__(self, x):
        return self.out(jnp.maximum(self.hidden(x), 0.0))


def mlp_relu(seed, x, hidden, features):
    return MLP(x.shape[-1], int(hidden), int(features), nnx.Rngs(int(seed)))(x)
''',
    "dropout_modes": '''
from flax import nnx


def dropout_modes(seed, x, rate):
    dropout = nnx.Dropout(rate=rate, rngs=nnx.Rngs(dropout=int(seed)))
    train = dropout(x, deterministic=False)
    evaluated = dropout(x, deterministic=True)
    return train, evaluated
''',
    "batchnorm_stats": '''
from flax import nnx


def batchnorm_stats(batch, momentum, calls):
    bn = nnx.BatchNorm(num_features=batch.shape[1], momentum=momentum, rngs=nnx.Rngs(0))
    for _ in range(int(calls)):
        bn(batch, use_running_average=False)
    out = bn(batch, use_running_average=True)
    return bn.mean.value, bn.var.value, out
''',
    "state_roundtrip": '''
import jax
from flax import nnx


def state_roundtrip(seed, x, features, shift):
    rngs = nnx.Rngs(int(seed))
    model = nnx.Sequential(
        nnx.Linear(x.shape[-1], int(features), rngs=rngs),
        nnx.BatchNorm(int(features), use_running_average=True, rngs=rngs),
    )
    params = nnx.state(model, nnx.Param)
    count = sum(p.size for p in jax.tree_util.tree_leaves(params))
    new_model = nnx.clone(model)
    nnx.update(new_model, jax.tree_util.tree_map(lambda p: p + shift, params))
    return float(count), model(x), new_model(x)
''',
    "training_step": '''
import jax.numpy as jnp
import optax
from flax import nnx


def loss_fn(model, x, y):
    return jnp.mean(jnp.square(model(x).squeeze(-1) - y))


def training_step(seed, x, y, learning_rate, steps):
    model = nnx.Linear(x.shape[1], 1, rngs=nnx.Rngs(int(seed)))
    optimizer = nnx.Optimizer(model, optax.sgd(learning_rate=learning_rate), wrt=nnx.Param)
    loss_before = loss_fn(model, x, y)
    for _ in range(int(steps)):
        grads = nnx.grad(loss_fn)(model, x, y)
        optimizer.update(model, grads)
    return loss_before, loss_fn(model, x, y), model.kernel.value
''',
}


def spelling(problem_id: str) -> str | None:
    """The alternative correct answer for a problem, or None when there is none."""
    text = SPELLINGS.get(problem_id)
    return text.lstrip("\n") if text else None
