"""Each problem's own panels: recorded in the worker, drawn on the page beside the reference's.

The page checks (AppTest, after a Run) use each problem's reference and one of its known wrong
answers; the rest checks the recorder, the checker and the drawing directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from playground.judge.verdict import Figures, Mode, Status, Verdict
from playground.problems import all_problems
from playground.problems.panels import Chart, Recording, panels_for
from playground.sandbox.panel_description import MAX_ARRAY_ELEMENTS, MAX_EVENTS, CallRecorder, checked_recording
from playground.web.problem_panels import chart_figure
from tests.web.test_app import text_of
from tests.web.test_state_view import run

ROOT = Path(__file__).resolve().parents[2]
WRONG = ROOT / "tests" / "submissions" / "problems"

# DESIGN.md's words (and, for the problems it does not list, the words their panels are about).
WORDS = {
    "causal_attention": "attention weights",
    "conv_feature_map": "feature map",
    "batchnorm_stats": "running mean",
    "training_step": "loss",
    "vmap_ensemble": "member",
    "dropout_modes": "mask",
    "embed_layernorm": "token",
    "mlp_relu": "relu",
    "state_roundtrip": "nnx.split",
    "custom_variable": "counter",
}
WRONG_ANSWERS = {  # one known mistake each that the problem's own panels show
    "causal_attention": "mask_one_ahead.py",
    "conv_feature_map": "always_valid.py",
    "batchnorm_stats": "no_momentum.py",
    "training_step": "ascent.py",
    "vmap_ensemble": "seed_per_member.py",
    "dropout_modes": "keep_probability.py",
    "embed_layernorm": "no_epsilon.py",
    "mlp_relu": "leaky_relu.py",
    "state_roundtrip": "shift_subtracted.py",
    "custom_variable": "counter_in_call.py",
}


def reference(problem: str) -> str:
    return (ROOT / "solutions" / f"{problem}.py").read_text(encoding="utf-8")


def wrong_answer(problem: str) -> str:
    return (WRONG / problem / WRONG_ANSWERS[problem]).read_text(encoding="utf-8")


def own_specs(at) -> list[dict]:
    """The page's figures of the problem's own panels (told apart from the generic ones by their traces' names)."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return [s for s in specs if any(_who(t) for t in s.get("data", []))]


def _who(trace: dict) -> str | None:
    name = str(trace.get("name", "")).lower()
    for who in ("yours", "reference"):
        if name == who or name.startswith(f"{who} ") or name.endswith(f", {who}"):
            return who
    return None


def values(spec: dict, who: str) -> list:
    """Every number the figure draws for one side, in trace order."""
    out: list = []
    for trace in spec["data"]:
        if _who(trace) == who:
            out.extend(np.ravel(np.asarray(trace.get("z", trace.get("y")), dtype=float)).tolist())
    return out


def title(spec: dict) -> str:
    return spec["layout"]["title"]["text"].lower()


PROBLEMS_WITH_PANELS = [p for p in all_problems() if panels_for(p) is not None]


def test_every_problem_past_the_first_two_declares_its_panels() -> None:
    assert set(PROBLEMS_WITH_PANELS) == set(WORDS)


@pytest.mark.slow
@pytest.mark.parametrize("problem", PROBLEMS_WITH_PANELS)
def test_a_run_of_the_reference_draws_its_panels_equal_to_the_reference(problem: str) -> None:
    at = run(reference(problem), problem)
    assert "Accepted" in text_of(at.success)
    specs = own_specs(at)
    assert specs, "no panel of the problem's own was drawn"
    assert any(WORDS[problem] in title(s) for s in specs), [title(s) for s in specs]
    for spec in specs:
        mine, theirs = values(spec, "yours"), values(spec, "reference")
        assert mine and theirs, title(spec)
        assert np.allclose(np.nan_to_num(mine), np.nan_to_num(theirs), atol=1e-4), title(spec)


@pytest.mark.slow
@pytest.mark.parametrize("problem", PROBLEMS_WITH_PANELS)
def test_a_wrong_answer_draws_panels_that_differ_from_the_reference(problem: str) -> None:
    at = run(wrong_answer(problem), problem)
    assert "Accepted" not in text_of(at.success)
    differing = []
    for spec in own_specs(at):
        mine, theirs = values(spec, "yours"), values(spec, "reference")
        if mine and (len(mine) != len(theirs) or not np.allclose(np.nan_to_num(mine), np.nan_to_num(theirs), atol=1e-4)):
            differing.append(title(spec))
    assert differing, "every panel of the wrong answer looks like the reference's"


def _attention(at) -> tuple[dict, dict]:
    (spec,) = [s for s in own_specs(at) if "attention weights" in title(s)]
    traces = {t["name"]: t for t in spec["data"] if t["type"] == "heatmap" and t["name"] in ("yours", "reference")}
    return traces["yours"], traces["reference"]


def test_attention_weights_are_square_rows_summing_to_one_with_the_future_masked() -> None:
    at = run(reference("causal_attention"), "causal_attention")
    mine, theirs = _attention(at)
    weights = np.asarray(theirs["z"], dtype=float)  # masked cells arrive as null
    tokens = weights.shape[0]
    assert weights.shape == (tokens, tokens) and tokens > 1
    above = np.triu(np.ones((tokens, tokens), dtype=bool), k=1)
    assert np.all(np.isnan(weights[above]))
    assert np.allclose(np.nansum(weights, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(np.isnan(np.asarray(mine["z"], dtype=float)), np.isnan(weights))


def test_attention_without_the_mask_shows_weight_on_the_future() -> None:
    source = reference("causal_attention").replace("scores = jnp.where(allowed, scores, -jnp.inf)", "pass")
    at = run(source, "causal_attention")
    assert "Wrong answer" in text_of(at.error)
    mine, _ = _attention(at)
    weights = np.asarray(mine["z"], dtype=float)
    assert np.nansum(np.triu(weights, k=1)) > 0.01


def test_code_failing_after_its_softmax_draws_the_weights_it_took() -> None:
    source = reference("causal_attention").replace("return weights @ v, weights", "raise ValueError('later')")
    at = run(source, "causal_attention")
    assert "Runtime error" in text_of(at.error)
    mine, theirs = _attention(at)
    assert np.allclose(np.nan_to_num(np.asarray(mine["z"], dtype=float)), np.nan_to_num(np.asarray(theirs["z"], dtype=float)))
    assert "From your last softmax call" in text_of(at.caption)


def test_the_recorder_keeps_numbers_only_and_puts_every_call_back() -> None:
    from flax import nnx

    original = nnx.Linear.__call__
    recorder = CallRecorder({"modules": [["Linear", ["kernel"]]], "functions": ["relu"]}).install()
    try:
        recorder.arm()
        layer = nnx.Linear(3, 2, rngs=nnx.Rngs(0))
        out = nnx.relu(layer(np.ones((3,), dtype=np.float32)))
        big = nnx.Linear(64, 64, rngs=nnx.Rngs(0))
        big(np.ones((64,), dtype=np.float32))
        recording = checked_recording(json.loads(json.dumps(recorder.take())))
    finally:
        recorder.restore()
    assert nnx.Linear.__call__ is original
    kinds = [e["kind"] for e in recording["events"]]
    assert kinds == ["Linear", "relu", "Linear"]
    first = recording["events"][0]
    assert first["output"]["shape"] == [2] and first["state"]["kernel"]["shape"] == [3, 2]
    assert np.allclose(recording["events"][1]["output"]["data"], np.asarray(out))
    assert "data" not in recording["events"][2]["state"]["kernel"]  # 4096 values: the shape only
    assert 64 * 64 > MAX_ARRAY_ELEMENTS


def test_the_checker_drops_what_a_hostile_worker_could_send() -> None:
    hostile = {
        "events": [{"kind": "Linear", "input": {"shape": [2], "data": [1, "x"]}, "output": {"shape": [10**12]}}] * (MAX_EVENTS + 5)
        + [{"kind": 3}, "text", {"kind": "x" * 10_000, "state": {"a": {"shape": [2], "data": [1.0, 2.0, 3.0]}}}],
        "truncated": "yes",
    }
    checked = checked_recording(hostile)
    assert len(checked["events"]) == MAX_EVENTS and checked["truncated"] is False
    event = checked["events"][0]
    assert event["input"]["data"] == [1.0, None] and event["output"] is None
    assert checked_recording({"events": "no"}) is None and checked_recording(None) is None
    assert Recording.from_dict(checked).events[0].input.shape == (2,)


@pytest.mark.parametrize(
    "chart",
    [
        Chart("heatmaps", "attention weights", [[1.0, 0.0], [0.5, 0.5]], [[1.0, 0.0], [0.4, 0.6]],
              masked=[[False, True], [False, False]], value_range=(0.0, 1.0)),
        Chart("heatmaps", "update", None, [[1.0]], note="<b>not yours</b>"),
        Chart("bars", "relu", [0.0, 2.0], [0.0, 1.5], names=("unit 0", "unit 1"), marked_learner=(0,), marked_reference=(0,)),
        Chart("lines", "running mean", [[0.1, 0.2]], [[0.1, 0.19]], names=("<i>feature 0</i>",), x_labels=("1", "2")),
        Chart("grid", "feature map", [[[1.0, 2.0]], [[3.0, 4.0]]], [[[1.0, 2.0]], [[3.0, 5.0]]], names=("channel 0", "channel 1")),
        Chart("grid", "feature map", None, [[[1.0]]], note="none of yours"),
    ],
)
def test_every_chart_kind_is_a_valid_plotly_figure_with_escaped_text(chart: Chart) -> None:
    spec = chart_figure(chart, "<script>t</script>")
    go.Figure(spec)  # plotly validates every property it is given
    text = json.dumps(spec)
    assert "<script>" not in text and "<b>not yours" not in text and "<i>feature" not in text


def test_charts_survive_the_verdict_round_trip() -> None:
    chart = Chart("lines", "counter", [[1.0, float("nan")]], [[1.0, 2.0]], names=("count",), x_labels=("1", "2"),
                  marked_learner=(1,), value_range=(0.0, 1.0), masked=[[True]])
    verdict = Verdict("p", "f", Mode.RUN, Status.WRONG_ANSWER, "m", figures=[Figures("t", None, None, None, None, None, charts=[chart])])
    back = Verdict.from_dict(json.loads(json.dumps(verdict.to_dict(with_figures=True))))
    (again,) = back.figures[0].charts
    assert again.names == chart.names and again.x_labels == chart.x_labels and again.masked == chart.masked
    assert np.isnan(again.learner[0][1]) and again.reference == chart.reference
    assert "charts" not in json.dumps(verdict.to_dict())  # the judge contract is unchanged
