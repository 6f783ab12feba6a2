"""Model state: describing real modules, checking what a worker sent, and the differences in words."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import pytest
from flax import nnx

from playground.judge.model_state import ModelState, StateVariable
from playground.judge.state_diff import DifferenceKind, compare_states, state_hint
from playground.sandbox.frame_checks import checked_frame as _checked_frame
from playground.sandbox.state_description import (
    MAX_PATH_CHARS,
    MAX_STATE_VARIABLES,
    ModuleRecorder,
    checked_state,
    describe_answer_state,
)


def var(path: str, type_: str = "Param", shape: tuple[int, ...] = (3,)) -> StateVariable:
    return StateVariable(path=path, type=type_, shape=shape, dtype="float32", size=math.prod(shape))


def state(*variables: StateVariable, module: str = "Block", modules: int = 1) -> ModelState:
    return ModelState(module=module, variables=variables, modules=modules, total=len(variables))


REFERENCE = state(var("kernel", shape=(3, 4)), var("bias", shape=(4,)))


def built(build):
    recorder = ModuleRecorder().install()
    recorder.created = []
    try:
        answer = build()
        return describe_answer_state(recorder.created, answer)
    finally:
        recorder.restore()


class Block(nnx.Module):
    def __init__(self, rngs: nnx.Rngs) -> None:
        self.linear = nnx.Linear(2, 3, rngs=rngs)
        self.norm = nnx.BatchNorm(3, rngs=rngs)
        self.plain = jnp.zeros((2,))


def test_the_outermost_module_is_described_with_every_variable_and_bare_arrays() -> None:
    described = built(lambda: Block(nnx.Rngs(0)))
    found = {v["path"]: (v["type"], v["shape"]) for v in described["variables"]}
    assert described["module"] == "Block" and described["modules"] == 1
    assert found == {
        "linear/kernel": ("Param", [2, 3]),
        "linear/bias": ("Param", [3]),
        "norm/mean": ("BatchStat", [3]),
        "norm/var": ("BatchStat", [3]),
        "norm/scale": ("Param", [3]),
        "norm/bias": ("Param", [3]),
        "plain": ("jax.Array", [2]),
    }
    scale = next(v for v in described["variables"] if v["path"] == "norm/scale")
    assert (scale["min"], scale["max"], scale["mean"], scale["size"]) == (1.0, 1.0, 1.0, 3)


def test_of_separate_modules_the_largest_is_chosen_unless_one_is_returned() -> None:
    def two():
        small, large = nnx.Linear(1, 1, rngs=nnx.Rngs(0)), nnx.Linear(4, 4, rngs=nnx.Rngs(0))
        return small, large

    largest = built(lambda: two() and None)
    assert largest["modules"] == 2 and ("kernel", [4, 4]) in [(v["path"], v["shape"]) for v in largest["variables"]]
    returned = built(lambda: (jnp.ones(1), two()[0]))
    assert [v["shape"] for v in returned["variables"] if v["path"] == "kernel"] == [[1, 1]]


def test_no_module_and_rng_keys_are_described_plainly() -> None:
    assert built(lambda: jnp.ones(3))["module"] is None
    rngs = built(lambda: nnx.Dropout(0.5, rngs=nnx.Rngs(dropout=1)))
    key = next(v for v in rngs["variables"] if v["type"] == "RngKey")
    assert key["shape"] == [] and key["mean"] is None and "key" in key["dtype"]


def test_a_module_built_inside_vmap_is_described_by_the_shapes_of_one_call() -> None:
    @nnx.split_rngs(splits=4)
    @nnx.vmap(in_axes=(0,), out_axes=0)
    def create(rngs: nnx.Rngs) -> nnx.Linear:
        return nnx.Linear(2, 3, rngs=rngs)

    described = built(lambda: create(nnx.Rngs(0)) and None)
    kernel = next(v for v in described["variables"] if v["path"] == "kernel")
    assert described["traced"] and kernel["shape"] == [2, 3] and kernel["mean"] is None
    concrete = built(lambda: (create(nnx.Rngs(0)), nnx.Linear(1, 1, rngs=nnx.Rngs(0))) and None)
    assert not concrete["traced"] and concrete["modules"] == 2  # a module outside the transform comes first


def test_recording_is_undone() -> None:
    before = type(nnx.Module).__call__
    built(lambda: nnx.Linear(1, 1, rngs=nnx.Rngs(0)))
    assert type(nnx.Module).__call__ is before
    assert isinstance(jax.tree.leaves(nnx.state(nnx.Linear(1, 1, rngs=nnx.Rngs(0))))[0], jax.Array)


@pytest.mark.parametrize(
    "hostile",
    [None, [], "x", {"variables": "many"}, {"variables": [{"path": ["a"], "type": "Param"}]}],
)
def test_unusable_descriptions_are_dropped(hostile: object) -> None:
    checked = checked_state(hostile)
    assert checked is None or checked["variables"] == []


def test_a_workers_description_is_cut_to_size_and_recounted() -> None:
    entry = {"path": "k" * 10_000, "type": "Param", "shape": [2, 3], "dtype": "float32", "size": 10**12,
             "min": float("nan"), "max": True, "mean": [1, 2], "extra": {"deep": 1}}
    checked = checked_state({"module": "M" * 500, "modules": -3, "variables": [entry] * 1000, "total": "all"})
    assert len(checked["variables"]) == MAX_STATE_VARIABLES and checked["truncated"]
    first = checked["variables"][0]
    assert len(first["path"]) == MAX_PATH_CHARS and first["size"] == 6
    assert (first["min"], first["max"], first["mean"]) == (None, None, None) and "extra" not in first
    assert checked["modules"] == 0 and checked["total"] == 0 and len(checked["module"]) <= 60
    huge = checked_state({"variables": [{"path": "a", "type": "Param", "shape": [2**40, 2]}]})
    assert huge["variables"][0]["shape"] is None and huge["variables"][0]["size"] is None


def test_the_pool_keeps_visible_tests_state_and_drops_hidden_ones() -> None:
    described = {"module": "M", "modules": 1, "variables": [{"path": "kernel", "type": "Param", "shape": [2]}]}
    frame = {"type": "results", "results": [{"name": "t", "output": {"kind": "none"}, "state": described}]}
    assert _checked_frame(frame)["results"][0]["state"]["variables"][0]["path"] == "kernel"
    assert "state" not in _checked_frame(frame, {"t"})["results"][0]


def test_round_trip_through_json() -> None:
    assert ModelState.from_dict(REFERENCE.to_dict()) == REFERENCE


def test_missing_bias_is_named_with_its_type_and_shape() -> None:
    differences = compare_states(state(var("kernel", shape=(3, 4))), REFERENCE)
    assert [d.words for d in differences] == ["`bias` is missing: the reference has a Param of shape (4,) there"]
    assert differences[0].reference_path == "bias" and differences[0].learner_path is None


def test_another_variable_type_comes_first() -> None:
    reference = state(var("mean", "BatchStat"), var("scale"), var("bias"))
    learner = state(var("mean", "Param"), var("scale", shape=(2,)), var("bias"), var("extra"))
    differences = compare_states(learner, reference)
    assert [d.kind for d in differences] == [DifferenceKind.TYPE, DifferenceKind.SHAPE, DifferenceKind.EXTRA]
    assert differences[0].words == "`mean` is a Param here, a BatchStat in the reference"
    assert differences[1].words == "`scale` has shape (2,) here, (3,) in the reference"
    hint = state_hint(learner, reference)
    assert hint == "Your module's state differs from the reference's: `mean` is a Param here, a BatchStat in the reference."


def test_an_extra_subtree_is_one_difference() -> None:
    rngs = (var("rngs/default/key", "RngKey", ()), var("rngs/default/count", "RngCount", ()))
    differences = compare_states(state(*REFERENCE.variables, *rngs), REFERENCE)
    assert len(differences) == 1 and differences[0].learner_path == "rngs"
    assert differences[0].words == "`rngs` holds 2 Variables (RngCount, RngKey) the reference does not have"


def test_an_extra_variable_is_not_a_strong_hint() -> None:
    learner = state(*REFERENCE.variables, var("rngs/default/key", "RngKey", ()))
    assert state_hint(learner, REFERENCE, strong_only=True) is None
    assert "`rngs`" in state_hint(learner, REFERENCE)
    assert "missing" in state_hint(state(var("kernel", shape=(3, 4))), REFERENCE, strong_only=True)


def test_a_renamed_variable_is_paired_and_never_the_hint() -> None:
    learner = state(var("w", shape=(3, 4)), var("bias", shape=(4,)))
    differences = compare_states(learner, REFERENCE)
    assert [(d.kind, d.learner_path, d.reference_path) for d in differences] == [(DifferenceKind.RENAMED, "w", "kernel")]
    assert state_hint(learner, REFERENCE) is None


def test_no_module_and_identical_states() -> None:
    assert compare_states(REFERENCE, REFERENCE) == [] and state_hint(REFERENCE, REFERENCE) is None
    hint = state_hint(ModelState(module=None), REFERENCE)
    assert hint == "Your code built no nnx.Module; the reference builds a Block and calls it."
    assert state_hint(None, REFERENCE) is None


def test_a_truncated_side_reports_no_missing_or_extra() -> None:
    cut = ModelState(module="Big", variables=(var("kernel", "BatchStat", (3, 4)),), modules=1, total=100, truncated=True)
    assert [d.kind for d in compare_states(cut, REFERENCE)] == [DifferenceKind.TYPE]


def test_one_of_several_modules_is_never_said_to_miss_what_another_may_hold() -> None:
    # The code built an Embed and a LayerNorm side by side; the state describes the larger one.
    reference = state(var("embed/embedding", shape=(5, 4)), var("norm/scale", shape=(4,)), var("norm/bias", shape=(4,)))
    learner = state(var("embedding", shape=(5, 4)), module="Embed", modules=2)
    assert state_hint(learner, reference, strong_only=True) is None
    assert state_hint(learner, reference) is None
    alone = state(var("embedding", shape=(5, 4)), module="Embed", modules=1)
    assert "`norm` is missing" in state_hint(alone, reference, strong_only=True)
