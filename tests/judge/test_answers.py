"""Answers with several named parts: how the worker describes them and how they are compared."""

import numpy as np

from playground.judge.compare import compare_answer
from playground.judge.verdict import Panel
from playground.sandbox.worker import describe_parts, describe_value
from playground.web.figures import panel_figure

NAMES = ("loss_before", "loss_after", "kernel")
EXPECTED = [np.asarray(2.0), np.asarray(0.5), np.asarray([[1.0, 2.0], [3.0, 4.0]])]


def reported(parts) -> dict:
    return {"outputs": describe_parts(parts, list(NAMES)), "output": describe_value(parts)}


def test_a_tuple_or_dict_with_every_part_is_compared_part_by_part():
    as_tuple = (2.0, 0.5, [[1.0, 2.0], [3.0, 4.0]])
    as_dict = {"kernel": np.asarray([[1.0, 2.0], [3.0, 4.0]]), "loss_after": 0.5, "loss_before": 2.0}
    for answer in (as_tuple, as_dict):
        result = compare_answer(NAMES, reported(answer), EXPECTED, 1e-5, 1e-6)
        assert result.passed and result.message == "Passed." and result.max_abs_error == 0.0
        assert [p.shape for p in result.parts] == [(), (), (2, 2)]


def test_a_wrong_part_is_named():
    result = compare_answer(NAMES, reported((2.0, 0.7, [[1.0, 2.0], [3.0, 4.0]])), EXPECTED, 1e-5, 1e-6)
    assert not result.passed and result.message.startswith("loss_after: ")
    assert abs(result.max_abs_error - 0.2) < 1e-12


def test_an_answer_of_another_form_says_what_to_return():
    for answer in ((2.0, 0.5), {"loss_before": 2.0}, 3.0, None):
        assert describe_parts(answer, list(NAMES)) is None
        result = compare_answer(NAMES, reported(answer), EXPECTED, 1e-5, 1e-6)
        assert not result.passed and "(loss_before, loss_after, kernel)" in result.message


def test_single_array_problems_are_unchanged():
    result = compare_answer((), {"output": describe_value([1.0, 2.0])}, [np.asarray([1.0, 2.0])], 1e-5, 1e-6)
    assert result.passed and result.parts[0].tolist() == [1.0, 2.0]


def test_extra_panels_draw_heatmaps_or_bars():
    heat = panel_figure(Panel("heatmaps", "parameter 3 (shape (2, 2))", [[1, 2], [3, 4]], [[1, 2], [3, 5]]), "t")
    assert {trace.type for trace in heat.data} == {"heatmap"}
    assert "Your parameter 3" in heat.layout.annotations[0].text
    bars = panel_figure(Panel("bars", "loss_after", [0.7], [0.5]), "t")
    assert [trace.type for trace in bars.data] == ["bar", "bar"]
    missing = panel_figure(Panel("bars", "bias", None, [0.0, 0.0], note="no bias"), "t")
    assert [trace.name for trace in missing.data] == ["Expected"]
