"""Reference solution for state_roundtrip (trusted; never shown to the sandbox)."""

import jax
import jax.numpy as jnp
from flax import nnx


def build_model(in_features: int, features: int, rngs: nnx.Rngs) -> nnx.Sequential:
    """A linear layer followed by a batch norm that uses its running statistics."""
    return nnx.Sequential(
        nnx.Linear(in_features, features, rngs=rngs),
        nnx.BatchNorm(features, use_running_average=True, rngs=rngs),
    )


def state_roundtrip(seed: float, x: jax.Array, features: float, shift: float):
    """Count the parameters, shift them in a copy of the state, merge a new model, run both."""
    x = jnp.asarray(x, dtype=jnp.float32)
    model = build_model(x.shape[-1], int(features), nnx.Rngs(int(seed)))
    # graphdef: the structure; params: every nnx.Param; rest: everything else (the BatchStats).
    graphdef, params, rest = nnx.split(model, nnx.Param, ...)
    count = sum(leaf.size for leaf in jax.tree.leaves(params))
    # jax.tree.map builds a new State; the model's own variables are left alone.
    shifted = jax.tree.map(lambda leaf: leaf + shift, params)
    new_model = nnx.merge(graphdef, shifted, rest)
    return jnp.asarray(count, dtype=jnp.float32), model(x), new_model(x)
