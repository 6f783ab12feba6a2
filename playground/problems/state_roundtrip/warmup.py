"""Sandbox-side warm-up: compiles the ops a typical answer uses, on one test's shapes.

Fresh workers run `warm` only; a warm template (playground/sandbox/template.py) also runs
`warm_spellings`, the other ways correct and common wrong answers are written.
"""

import jax
import jax.numpy as jnp
from flax import nnx

from playground.warming import run_each


def warm(inputs: dict) -> object:
    """Build, split, shift, merge and call once so XLA has compiled every op for this shape."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    features = int(inputs["features"])
    rngs = nnx.Rngs(int(inputs["seed"]))
    model = nnx.Sequential(
        nnx.Linear(x.shape[-1], features, rngs=rngs),
        nnx.BatchNorm(features, use_running_average=True, rngs=rngs),
    )
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    count = sum(leaf.size for leaf in jax.tree.leaves(params))
    shift = float(inputs["shift"])
    new_model = nnx.merge(graphdef, jax.tree.map(lambda a: a + shift, params), rest)
    return jax.block_until_ready((jnp.asarray(count, dtype=jnp.float32), model(x), new_model(x)))


def warm_spellings(inputs: dict) -> None:
    """`nnx.state`/`nnx.update`, `tree_util`, counting by hand, and shifting every leaf."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    features, shift = int(inputs["features"]), float(inputs["shift"])
    rngs = nnx.Rngs(int(inputs["seed"]))
    model = nnx.Sequential(
        nnx.Linear(x.shape[-1], features, rngs=rngs),
        nnx.BatchNorm(features, use_running_average=True, rngs=rngs),
    )
    graphdef, state = nnx.split(model)
    params = nnx.state(model, nnx.Param)

    def updated() -> jax.Array:
        copy = nnx.merge(graphdef, state)
        nnx.update(copy, jax.tree_util.tree_map(lambda p: p + shift, params))
        return copy(x)

    run_each([
        lambda: jnp.asarray(float(sum(p.size for p in jax.tree_util.tree_leaves(params)))),
        lambda: jnp.array(sum(p.size for p in jax.tree_util.tree_leaves(params)), dtype=jnp.float32),
        lambda: jnp.float32(sum(p.size for p in jax.tree.leaves(params))),
        updated,
        lambda: nnx.merge(graphdef, jax.tree.map(lambda a: a + shift, state))(x),
        lambda: nnx.merge(graphdef, state)(x),
        lambda: model(x[None, :]),
    ])
