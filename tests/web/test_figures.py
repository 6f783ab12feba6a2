"""The figure functions: heatmaps with shared scales, grouped bars, and notes instead of missing data."""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go

from playground.judge.verdict import Figures
from playground.web.figures import kernel_figure, output_figure

MINE = [[0.5, -1.0, 2.0], [0.0, 1.5, -0.5]]
REFERENCE = [[0.4, -1.0, 2.5], [0.1, 1.5, -2.0]]


def _figures(**changes: object) -> Figures:
    values = {
        "test_name": "example_1",
        "learner_kernel": MINE,
        "reference_kernel": REFERENCE,
        "kernel_note": None,
        "got": [1.0, 2.0, -3.0],
        "expected": [1.0, 2.5, -3.0],
    }
    values.update(changes)
    return Figures(**values)


def _heatmaps(fig: go.Figure) -> list[go.Heatmap]:
    return [t for t in fig.data if isinstance(t, go.Heatmap)]


def _annotation_text(fig: go.Figure) -> str:
    parts = [a.text or "" for a in fig.layout.annotations] + [fig.layout.title.text or ""]
    return " ".join(parts).replace("<br>", " ").replace("<sup>", "").replace("</sup>", "")


def test_kernels_share_one_colour_scale_and_the_difference_is_centred_on_zero() -> None:
    fig = kernel_figure(_figures())
    mine, reference, difference = _heatmaps(fig)
    assert (mine.zmin, mine.zmax) == (reference.zmin, reference.zmax) == (-2.0, 2.5)
    assert mine.colorscale == reference.colorscale
    assert difference.zmid == 0 and difference.zmin == -difference.zmax == -1.5
    assert difference.colorscale != mine.colorscale
    assert [list(row) for row in difference.z] == [[0.5 - 0.4, 0.0, -0.5], [-0.1, 0.0, 1.5]]
    assert sum(bool(t.showscale is not False) for t in (mine, reference)) == 1


def test_hover_shows_exact_values() -> None:
    fig = kernel_figure(_figures())
    for trace in _heatmaps(fig):
        assert "%{z}" in trace.hovertemplate
    difference = _heatmaps(fig)[2]
    assert "%{customdata[0]}" in difference.hovertemplate and "%{customdata[1]}" in difference.hovertemplate
    bars = output_figure(_figures())
    assert all("%{y}" in t.hovertemplate for t in bars.data)


def test_rows_are_drawn_top_down_like_a_printed_matrix() -> None:
    fig = kernel_figure(_figures())
    assert fig.layout.yaxis.autorange == "reversed"


def test_missing_learner_kernel_draws_the_reference_with_the_note() -> None:
    note = "Your module created no nnx.Param, so there is no kernel to draw."
    fig = kernel_figure(_figures(learner_kernel=None, kernel_note=note))
    assert len(_heatmaps(fig)) == 1
    assert list(map(list, _heatmaps(fig)[0].z)) == REFERENCE
    assert _heatmaps(fig)[0].xaxis == "x2"
    assert note in _annotation_text(fig)


def test_missing_kernel_without_a_note_still_explains() -> None:
    fig = kernel_figure(_figures(learner_kernel=None))
    assert "not available" in _annotation_text(fig)


def test_no_kernels_at_all_gives_no_figure() -> None:
    assert kernel_figure(_figures(learner_kernel=None, reference_kernel=None)) is None


def test_kernel_of_another_shape_is_drawn_without_a_difference() -> None:
    note = "Your kernel has shape (3, 2); the reference's is (2, 3)."
    fig = kernel_figure(_figures(learner_kernel=[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], kernel_note=note))
    assert len(_heatmaps(fig)) == 2
    assert note in _annotation_text(fig)


def test_identical_kernels_still_have_a_usable_difference_scale() -> None:
    fig = kernel_figure(_figures(learner_kernel=REFERENCE))
    difference = _heatmaps(fig)[2]
    assert difference.zmax > 0 and difference.zmin < 0


def test_non_finite_values_become_gaps_and_the_figure_serialises() -> None:
    fig = kernel_figure(_figures(learner_kernel=[[math.nan, 1.0, 2.0], [math.inf, 0.0, 1.0]]))
    mine = _heatmaps(fig)[0]
    assert mine.z[0][0] is None and mine.z[1][0] is None
    assert math.isfinite(mine.zmin) and math.isfinite(mine.zmax)
    json.loads(fig.to_json())
    bars = output_figure(_figures(got=[math.nan, 1.0, 2.0]))
    assert bars.data[0].y[0] is None
    assert "NaN" in _annotation_text(bars)
    json.loads(bars.to_json())


def test_outputs_are_grouped_bars_of_yours_against_expected() -> None:
    fig = output_figure(_figures())
    assert fig.layout.barmode == "group"
    mine, expected = fig.data
    assert isinstance(mine, go.Bar) and isinstance(expected, go.Bar)
    assert list(mine.y) == [1.0, 2.0, -3.0] and list(expected.y) == [1.0, 2.5, -3.0]
    assert mine.name == "Your output" and expected.name == "Expected"
    assert list(mine.x) == ["out[0]", "out[1]", "out[2]"]


def test_missing_output_draws_expected_only_with_a_note() -> None:
    fig = output_figure(_figures(got=None))
    assert [t.name for t in fig.data] == ["Expected"]
    assert "no usable output" in _annotation_text(fig)


def test_a_large_kernel_has_no_cell_text() -> None:
    big = [[float(i * 64 + j) for j in range(64)] for i in range(64)]
    fig = kernel_figure(_figures(learner_kernel=big, reference_kernel=big))
    assert all(not t.texttemplate for t in _heatmaps(fig))
    small = kernel_figure(_figures())
    assert all(t.texttemplate for t in _heatmaps(small))
