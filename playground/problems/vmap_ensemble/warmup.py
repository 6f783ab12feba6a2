"""Sandbox-side warm-up: builds and runs an ensemble with nnx.split_rngs and nnx.vmap on one test's shapes."""

import jax
import jax.numpy as jnp
from flax import nnx


def warm(inputs: dict) -> None:
    """nnx.vmap runs each operation on the stacked members: compile them for this shape."""
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    members = int(inputs["members"])

    @nnx.split_rngs(splits=members)
    @nnx.vmap(in_axes=(0,), out_axes=0)
    def create(rngs: nnx.Rngs) -> nnx.Linear:
        return nnx.Linear(x.shape[-1], 3, rngs=rngs)

    @nnx.vmap(in_axes=(0, None), out_axes=0)
    def forward(model: nnx.Linear, inputs: jax.Array) -> jax.Array:
        return model(inputs)

    # The same members broadcast from one key (in_axes=(None,)), and one layer on its own (as a
    # Python loop builds them): common first attempts, which should fail fast, not time out.
    @nnx.vmap(in_axes=(None,), out_axes=0, axis_size=members)
    def create_shared(rngs: nnx.Rngs) -> nnx.Linear:
        return nnx.Linear(x.shape[-1], 3, rngs=rngs)

    outputs = forward(create(nnx.Rngs(int(inputs["seed"]))), x)
    shared = forward(create_shared(nnx.Rngs(int(inputs["seed"]))), x)
    single = nnx.Linear(x.shape[-1], 3, rngs=nnx.Rngs(int(inputs["seed"])))(x)
    stacked = jnp.stack([single] * members)
    jax.block_until_ready((outputs, shared, stacked, outputs.mean(axis=0), outputs.mean(axis=1), stacked.mean(0)))
