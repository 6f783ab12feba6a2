import jax
import jax.numpy as jnp
from flax import nnx


def vmap_ensemble(seed, x, members):
    """An ensemble of nnx.Linear(x.shape[-1], 3) layers, one key each, all run on x; return (outputs, mean)."""

    # TODO: a function that builds ONE nnx.Linear(x.shape[-1], 3, rngs=rngs), decorated with
    #       @nnx.split_rngs(splits=int(members)) and then @nnx.vmap(in_axes=(0,), out_axes=0)

    # TODO: a function that calls one layer on x, decorated with @nnx.vmap(in_axes=(0, None), out_axes=0)

    # TODO: ensemble = create(nnx.Rngs(int(seed))); outputs = forward(ensemble, x)
    # TODO: return outputs and their mean over the members
    raise NotImplementedError("write vmap_ensemble")
