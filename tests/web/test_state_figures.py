"""The state treemaps, built from fixed states: boxes, sizes, colours by type and marked differences."""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go

from playground.judge.model_state import ModelState, StateVariable
from playground.judge.state_diff import compare_states
from playground.web.state_figures import (
    MARK_COLOUR,
    ROOT_ID,
    TYPE_COLOURS,
    learner_marks,
    reference_marks,
    state_figure,
    type_colour,
)


def var(path: str, type_: str = "Param", shape: tuple[int, ...] = (3,)) -> StateVariable:
    return StateVariable(path=path, type=type_, shape=shape, dtype="float32", size=math.prod(shape), min=0.0, max=1.0, mean=0.5)


REFERENCE = ModelState(
    module="Block",
    variables=(var("linear/kernel", shape=(2, 3)), var("linear/bias"), var("norm/mean", "BatchStat"), var("norm/var", "BatchStat")),
    modules=1,
    total=4,
)


def treemap(fig: go.Figure) -> go.Treemap:
    (trace,) = fig.data
    assert isinstance(trace, go.Treemap)
    return trace


def box(trace: go.Treemap, path: str) -> int:
    return list(trace.ids).index("p:" + path)


def test_one_box_per_variable_under_its_path_labelled_and_sized() -> None:
    trace = treemap(state_figure(REFERENCE, "Reference"))
    assert set(trace.ids) == {ROOT_ID, "p:linear", "p:norm", "p:linear/kernel", "p:linear/bias", "p:norm/mean", "p:norm/var"}
    kernel = box(trace, "linear/kernel")
    assert trace.labels[kernel] == "kernel<br>Param (2, 3)" and trace.parents[kernel] == "p:linear"
    assert trace.values[kernel] == 6 and trace.values[box(trace, "linear")] == 9
    assert trace.values[0] == 15 and trace.branchvalues == "total"
    assert "mean 0.5" in trace.hovertext[kernel]
    json.loads(state_figure(REFERENCE, "Reference").to_json())  # the page can serialise it


def test_boxes_are_coloured_by_variable_type() -> None:
    trace = treemap(state_figure(REFERENCE, "Reference"))
    colours = trace.marker.colors
    assert colours[box(trace, "linear/bias")] == TYPE_COLOURS["Param"]
    assert colours[box(trace, "norm/mean")] == TYPE_COLOURS["BatchStat"] != TYPE_COLOURS["Param"]
    assert type_colour("MyCounter") == type_colour("MyCounter") and type_colour("MyCounter") not in TYPE_COLOURS.values()


def test_differences_are_outlined_and_named_on_each_side() -> None:
    learner = ModelState(
        module="Block",
        variables=(var("linear/kernel", shape=(2, 3)), var("norm/mean", "Param"), var("norm/var", "BatchStat")),
        modules=1,
        total=3,
    )
    differences = compare_states(learner, REFERENCE)
    mine = treemap(state_figure(learner, "Your model", learner_marks(differences)))
    theirs = treemap(state_figure(REFERENCE, "Reference", reference_marks(differences)))
    mean = box(mine, "norm/mean")
    assert mine.marker.line.color[mean] == MARK_COLOUR and "other type" in mine.labels[mean]
    assert mine.marker.line.color[box(mine, "linear/kernel")] != MARK_COLOUR
    bias = box(theirs, "linear/bias")
    assert theirs.marker.line.color[bias] == MARK_COLOUR and "missing in yours" in theirs.labels[bias]


def test_a_marked_subtree_outlines_its_group() -> None:
    learner = ModelState(
        module="Block",
        variables=(*REFERENCE.variables, var("rngs/default/key", "RngKey", ()), var("rngs/default/count", "RngCount", ())),
        modules=1,
        total=6,
    )
    trace = treemap(state_figure(learner, "Your model", learner_marks(compare_states(learner, REFERENCE))))
    assert trace.marker.line.color[box(trace, "rngs")] == MARK_COLOUR
    assert trace.values[box(trace, "rngs/default/key")] == 1  # a scalar still gets a box


def test_the_title_says_what_was_chosen_or_left_out() -> None:
    several = ModelState(module="Linear", variables=(var("kernel"),), modules=3, total=80, truncated=True)
    title = state_figure(several, "Your model").layout.title.text
    assert "Your model: Linear" in title and "largest of 3 separate modules" in title and "first 1 of 80" in title
    empty = state_figure(ModelState(module="Nothing", modules=1), "Your model")
    assert "holds no Variables" in empty.layout.title.text and list(treemap(empty).ids) == [ROOT_ID]
