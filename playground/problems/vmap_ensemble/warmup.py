"""Sandbox-side warm-up: builds and runs an ensemble with nnx.split_rngs and nnx.vmap on one test's shapes.

Fresh workers run `warm` only; a warm template (playground/sandbox/template.py) also runs
`warm_spellings`, the other ways correct and common wrong answers are written.
"""

import jax
import jax.numpy as jnp
from flax import nnx

from playground.warming import run_each

FEATURES = 3


@nnx.vmap(in_axes=(0, None), out_axes=0)
def _forward(model: nnx.Linear, x: jax.Array) -> jax.Array:
    return model(x)


def warm(inputs: dict) -> object:
    """nnx.vmap runs each operation on the stacked members: compile them for this shape."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)

    @nnx.split_rngs(splits=int(inputs["members"]))
    @nnx.vmap(in_axes=(0,), out_axes=0)
    def create(rngs: nnx.Rngs) -> nnx.Linear:
        return nnx.Linear(x.shape[-1], FEATURES, rngs=rngs)

    outputs = _forward(create(nnx.Rngs(int(inputs["seed"]))), x)
    return jax.block_until_ready((outputs, outputs.mean(axis=0)))


def warm_spellings(inputs: dict) -> None:
    """Members broadcast from one key, one layer at a time (a Python loop), and the other means.

    Common first attempts: they should fail fast with a hint, not time out while compiling.
    """
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    members, seed = int(inputs["members"]), int(inputs["seed"])

    @nnx.vmap(in_axes=(None,), out_axes=0, axis_size=members)
    def create_shared(rngs: nnx.Rngs) -> nnx.Linear:
        return nnx.Linear(x.shape[-1], FEATURES, rngs=rngs)

    def looped() -> jax.Array:
        rngs = nnx.Rngs(seed)
        return jnp.stack([nnx.Linear(x.shape[-1], FEATURES, rngs=rngs)(x) for _ in range(members)])

    run_each(
        [
            lambda: _forward(create_shared(nnx.Rngs(seed)), x),
            looped,
            lambda: looped().mean(axis=1),
            lambda: looped().T,
            lambda: jnp.mean(looped(), 0),
        ]
    )
