"""Known wrong answers to state_roundtrip, each computed by trusted code, with its hint."""

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from playground.problems import Misconception


def _model(inputs: dict) -> tuple[nnx.Sequential, jax.Array]:
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    features = int(inputs["features"])
    rngs = nnx.Rngs(int(inputs["seed"]))
    model = nnx.Sequential(
        nnx.Linear(x.shape[-1], features, rngs=rngs),
        nnx.BatchNorm(features, use_running_average=True, rngs=rngs),
    )
    return model, x


def _answer(inputs: dict, *, count=None, shift_all_state=False, merge_old=False, in_place=False, subtract=False) -> tuple:
    """The reference's answer with one thing changed, chosen by the keyword arguments."""
    model, x = _model(inputs)
    shift = -inputs["shift"] if subtract else inputs["shift"]
    n_in, features = x.shape[-1], int(inputs["features"])
    right_count = n_in * features + 3 * features
    if shift_all_state:
        graphdef, state = nnx.split(model)
        new_model = nnx.merge(graphdef, jax.tree.map(lambda a: a + shift, state))
    else:
        graphdef, params, rest = nnx.split(model, nnx.Param, ...)
        if in_place:
            for _, variable in nnx.to_flat_state(params):
                variable[...] = variable[...] + shift
            new_params = params
        else:
            new_params = params if merge_old else jax.tree.map(lambda a: a + shift, params)
        new_model = nnx.merge(graphdef, new_params, rest)
    chosen = right_count if count is None else count(n_in, features)
    return np.asarray(float(chosen)), np.asarray(model(x)), np.asarray(new_model(x))


MISCONCEPTIONS = (
    Misconception(
        "count_all_state",
        "Your count includes the BatchNorm's running mean and variance. Those are nnx.BatchStat "
        "variables, not parameters: count only the arrays in nnx.state(model, nnx.Param) (or the "
        "Param state that nnx.split(model, nnx.Param, ...) returns).",
        lambda inputs: _answer(inputs, count=lambda n, f: n * f + 5 * f),
        pitfall="Counting or shifting the batch statistics too",
    ),
    Misconception(
        "count_arrays",
        "Your count is the number of parameter arrays (4), not the number of numbers in them: "
        "add up a.size over jax.tree.leaves(params).",
        lambda inputs: _answer(inputs, count=lambda n, f: 4),
        pitfall="Counting arrays (there are 4)",
    ),
    Misconception(
        "count_kernel_only",
        "Your count covers only the Linear kernel. The biases and the BatchNorm scale are "
        "nnx.Params too: sum the sizes of every leaf in the Param state.",
        lambda inputs: _answer(inputs, count=lambda n, f: n * f),
        pitfall="counting only the kernel",
    ),
    Misconception(
        "shift_all_state",
        "Your new model also shifted the BatchNorm's running mean and variance. Shift only the "
        "nnx.Param state: nnx.split(model, nnx.Param, ...) gives the params and the rest "
        "separately; map over the params and merge them back with the rest unchanged.",
        lambda inputs: _answer(inputs, shift_all_state=True),
        pitfall="Counting or shifting the batch statistics too",
    ),
    Misconception(
        "merged_old_state",
        "Your new model gives the same output as the original, so it was merged from the "
        "unshifted state. jax.tree.map returns a new State and leaves its input alone: pass "
        "that returned State to nnx.merge.",
        lambda inputs: _answer(inputs, merge_old=True),
        pitfall="passing the old one to `nnx.merge`",
    ),
    Misconception(
        "changed_original",
        "Your original model changed too: its output equals the new model's. The Variables in "
        "the State from nnx.split are the model's own, so writing into them (or calling "
        "nnx.update on the model) edits the original. Build the shifted State with "
        "jax.tree.map, which copies, and call the original model after merging to check.",
        lambda inputs: _answer(inputs, in_place=True),
        pitfall="Writing into the split State in place",
    ),
    Misconception(
        "shift_subtracted",
        "Your new model's parameters moved the other way: shift was subtracted. Add it to every "
        "parameter, jax.tree.map(lambda leaf: leaf + shift, params).",
        lambda inputs: _answer(inputs, subtract=True),
    ),
)
