# Gives member i its own nnx.Rngs(seed + i).
# expect-status: wrong_answer
# expect-hint: nnx.Rngs(seed + i)
import jax.numpy as jnp
from flax import nnx


def vmap_ensemble(seed, x, members):
    outputs = jnp.stack(
        [nnx.Linear(x.shape[-1], 3, rngs=nnx.Rngs(int(seed) + i))(x) for i in range(int(members))]
    )
    return outputs, jnp.mean(outputs, axis=0)
