"""Known wrong answers to vmap_ensemble, each computed by trusted code, with its hint."""

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from playground.problems import Misconception

FEATURES = 3
Answer = tuple[np.ndarray, np.ndarray]


def _x(inputs: dict) -> jax.Array:
    return jnp.asarray(inputs["x"], dtype=jnp.float32)


def _outputs(inputs: dict, rngs_for: Callable[[int, int, int], nnx.Rngs]) -> np.ndarray:
    """Each member's output, member i built from rngs_for(seed, i, members), stacked on axis 0."""
    x = _x(inputs)
    seed, members = int(inputs["seed"]), int(inputs["members"])
    return np.stack(
        [np.asarray(nnx.Linear(x.shape[-1], FEATURES, rngs=rngs_for(seed, i, members))(x)) for i in range(members)]
    )


def _answer(outputs: np.ndarray) -> Answer:
    return outputs, outputs.mean(axis=0)


def _split_stream(seed: int, i: int, members: int) -> nnx.Rngs:
    # What split_rngs does: draw the stream's next key, split it in `members`; member i gets one.
    return nnx.Rngs(jax.random.split(jax.random.fold_in(jax.random.key(seed), 0), members)[i])


def _variant(rngs_for: Callable[[int, int, int], nnx.Rngs]) -> Callable[[dict], Answer]:
    return lambda inputs: _answer(_outputs(inputs, rngs_for))


def _loop_one_rngs(inputs: dict) -> Answer:
    # A Python loop that builds every member from one Rngs: member i takes the stream's next keys.
    x = _x(inputs)
    rngs = nnx.Rngs(int(inputs["seed"]))
    layers = [nnx.Linear(x.shape[-1], FEATURES, rngs=rngs) for _ in range(int(inputs["members"]))]
    return _answer(np.stack([np.asarray(layer(x)) for layer in layers]))


def _outputs_transposed(inputs: dict) -> Answer:
    # out_axes=1: members on the last axis, and the mean over axis 0 then averages the features.
    outputs = _outputs(inputs, _split_stream).T
    return outputs, outputs.mean(axis=0)


def _mean_over_features(inputs: dict) -> Answer:
    outputs = _outputs(inputs, _split_stream)
    return outputs, outputs.mean(axis=1)


def _sum_over_members(inputs: dict) -> Answer:
    outputs = _outputs(inputs, _split_stream)
    return outputs, outputs.sum(axis=0)


MISCONCEPTIONS = (
    Misconception(
        "same_key_for_every_member",
        "All your members are the same layer: each was built from the same key. Split the "
        "rngs first, @nnx.split_rngs(splits=members) above @nnx.vmap(in_axes=(0,)), so that "
        "each member receives a key of its own.",
        _variant(lambda seed, i, members: nnx.Rngs(seed)),
        pitfall="Building every member from the same key",
    ),
    Misconception(
        "loop_one_rngs",
        "Your members come from a Python loop over one nnx.Rngs: member i drew the stream's "
        "next keys. That is a fine ensemble, but not the one asked for: nnx.split_rngs draws "
        "ONE key and splits it into `members` keys, and nnx.vmap builds every member at once "
        "(its parameters stacked on axis 0).",
        _loop_one_rngs,
        pitfall="A Python loop over one `nnx.Rngs`",
    ),
    Misconception(
        "seed_plus_index",
        "Your member i was built from nnx.Rngs(seed + i). Let nnx split the keys: "
        "@nnx.split_rngs(splits=members) on the function that @nnx.vmap(in_axes=(0,)) maps "
        "over the Rngs.",
        _variant(lambda seed, i, members: nnx.Rngs(seed + i)),
        pitfall="`nnx.Rngs(seed + i)` for member i",
    ),
    Misconception(
        "split_raw_key",
        "You split jax.random.key(seed) yourself. nnx.split_rngs splits the stream's NEXT key "
        "(what rngs.params() returns, fold_in(key, 0) for a new Rngs), not the seed's key: use "
        "@nnx.split_rngs(splits=members) on nnx.Rngs(int(seed)).",
        _variant(lambda seed, i, members: nnx.Rngs(jax.random.split(jax.random.key(seed), members)[i])),
        pitfall="splitting `jax.random.key(seed)` yourself",
    ),
    Misconception(
        "outputs_transposed",
        "Your outputs have the members on the last axis (out_axes=1). Keep the members on "
        "axis 0: out_axes=0 in the forward nnx.vmap, so outputs is (members, 3) and the mean "
        "over axis 0 averages the members.",
        _outputs_transposed,
        pitfall="`out_axes=1`",
    ),
    Misconception(
        "mean_over_features",
        "Your mean averages each member's three outputs (axis 1). The ensemble's prediction "
        "averages the members: outputs.mean(axis=0), one value per feature.",
        _mean_over_features,
        pitfall="The mean over axis 1",
    ),
    Misconception(
        "sum_over_members",
        "Your mean is the members' sum: divide by the number of members too, outputs.mean(axis=0) "
        "(the ensemble's prediction is their average).",
        _sum_over_members,
    ),
)
