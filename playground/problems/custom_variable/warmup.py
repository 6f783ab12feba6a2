"""Sandbox-side warm-up: compiles the ops a typical counting-layer answer uses, on one test's shapes.

Fresh workers run `warm` only; a warm template (playground/sandbox/template.py) also runs
`warm_spellings`, the other ways correct and common wrong answers are written.
"""

import jax
import jax.numpy as jnp
from flax import nnx

from playground.warming import run_each


class _Count(nnx.Variable):
    pass


class _Warm(nnx.Module):
    def __init__(self, in_features: int, *, rngs: nnx.Rngs):
        self.linear = nnx.Linear(in_features, 2, rngs=rngs)
        self.count = _Count(jnp.array(0))

    def __call__(self, x: jax.Array) -> jax.Array:
        self.count[...] += 1
        return self.linear(x)


def _model(inputs: dict) -> tuple[_Warm, jax.Array]:
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    return _Warm(x.shape[-1], rngs=nnx.Rngs(int(inputs["seed"]))), x


def warm(inputs: dict) -> object:
    """Two counted calls, then the filtered states flattened as the answer needs them."""
    model, x = _model(inputs)
    for _ in range(2):
        output = model(x)
    count = jnp.array(jax.tree.leaves(nnx.state(model, _Count)))
    params = jnp.concatenate([p.ravel() for p in jax.tree.leaves(nnx.state(model, nnx.Param))])
    return jax.block_until_ready((count, params, output))


def warm_spellings(inputs: dict) -> None:
    """The unfiltered state flattened, a Param-typed counter, and reading the counter directly."""
    model, x = _model(inputs)
    model(x)
    run_each(
        [
            lambda: jnp.concatenate([jnp.ravel(v) for v in jax.tree.leaves(nnx.state(model))]),
            lambda: jnp.concatenate(
                [jnp.ravel(v) for v in [jnp.array(1), *jax.tree.leaves(nnx.state(model, nnx.Param))]]
            ),
            lambda: jnp.stack(jax.tree.leaves(nnx.state(model, _Count))),
            lambda: jnp.asarray([model.count[...]]),
            lambda: model.count[...] + 1,
        ]
    )
