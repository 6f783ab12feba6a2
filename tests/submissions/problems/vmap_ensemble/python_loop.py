# Builds the members in a Python loop over one Rngs and stacks the outputs.
# expect-status: wrong_answer
# expect-hint: Python loop
import jax.numpy as jnp
from flax import nnx


def vmap_ensemble(seed, x, members):
    rngs = nnx.Rngs(int(seed))
    layers = [nnx.Linear(x.shape[-1], 3, rngs=rngs) for _ in range(int(members))]
    outputs = jnp.stack([layer(x) for layer in layers])
    return outputs, outputs.mean(axis=0)
