"""Reference solution for vmap_ensemble (trusted; never shown to the sandbox)."""

import jax
import jax.numpy as jnp
from flax import nnx

FEATURES = 3


def vmap_ensemble(seed: float, x: jax.Array, members: float) -> tuple[jax.Array, jax.Array]:
    """An ensemble of `members` nnx.Linear layers, each from its own key, run on one input."""
    x = jnp.asarray(x, dtype=jnp.float32)

    # split_rngs turns the params stream's next key into `members` keys; vmap then builds one
    # layer per key and stacks their parameters along a new leading axis.
    @nnx.split_rngs(splits=int(members))
    @nnx.vmap(in_axes=(0,), out_axes=0)
    def create(rngs: nnx.Rngs) -> nnx.Linear:
        return nnx.Linear(x.shape[-1], FEATURES, rngs=rngs)

    # Every member (axis 0 of the parameters) sees the same x (None: not split).
    @nnx.vmap(in_axes=(0, None), out_axes=0)
    def forward(model: nnx.Linear, inputs: jax.Array) -> jax.Array:
        return model(inputs)

    ensemble = create(nnx.Rngs(int(seed)))
    outputs = forward(ensemble, x)  # (members, FEATURES)
    return outputs, outputs.mean(axis=0)
