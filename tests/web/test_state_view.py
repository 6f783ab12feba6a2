"""The model-state view on the page (AppTest): both trees, the marked difference, and no module."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playground.web.boot import shared_judge
from tests.web.test_app import new_learner, open_page, press, text_of

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("playground_data_dir")

NO_MODULE_SOURCE = """
import math
import jax


def module_basics_forward(seed, x, features):
    kernel = jax.random.normal(jax.random.key(int(seed)), (x.shape[-1], int(features))) / math.sqrt(x.shape[-1])
    return x @ kernel
"""


def run(source: str, problem: str = "module_basics_forward"):
    """The page after Run, once a worker for the problem is warm (a loaded machine warms slowly)."""
    at = open_page(new_learner(), problem=problem)
    judge, _ = shared_judge()
    if judge is not None:
        judge.wait_until_ready(problem, 180)
    at = press(at, source, "run")
    assert "Internal error" not in text_of(at.warning), text_of(at.warning)
    return at


def treemaps(at) -> list[dict]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return [trace for spec in specs for trace in spec["data"] if trace.get("type") == "treemap"]


def labels(trace: dict) -> str:
    return " ".join(trace["labels"])


def test_a_correct_answer_shows_two_trees_of_params() -> None:
    source = (ROOT / "solutions" / "module_basics_forward.py").read_text(encoding="utf-8")
    at = run(source)
    mine, reference = treemaps(at)
    assert "kernel<br>Param (" in labels(mine) and "kernel<br>Param (" in labels(reference)
    assert "#D62728" not in json.dumps(mine["marker"])
    assert "same Variables" in text_of(at.caption)


def test_batchnorm_shows_its_batch_statistics() -> None:
    source = (ROOT / "solutions" / "batchnorm_stats.py").read_text(encoding="utf-8")
    at = run(source, "batchnorm_stats")
    mine, reference = treemaps(at)
    for trace in (mine, reference):
        assert "mean<br>BatchStat (" in labels(trace) and "scale<br>Param (" in labels(trace)


def test_a_plain_array_kernel_is_marked_and_named() -> None:
    source = (ROOT / "tests" / "submissions" / "wrong_answer" / "no_param.py").read_text(encoding="utf-8")
    at = run(source)
    mine, reference = treemaps(at)
    kernel = mine["ids"].index("p:kernel")
    assert "jax.Array" in mine["labels"][kernel] and "other type" in mine["labels"][kernel]
    assert mine["marker"]["line"]["color"][kernel] == "#D62728"
    assert "other type in yours" in labels(reference)
    assert "`kernel` is a jax.Array here, a Param in the reference" in text_of(at.markdown)


def test_code_that_builds_no_module_says_so_instead_of_an_empty_tree() -> None:
    at = run(NO_MODULE_SOURCE)
    assert "Wrong answer" in text_of(at.error)
    assert "Your code built no module" in text_of(at.info)
    (reference,) = treemaps(at)
    assert "kernel<br>Param (" in labels(reference)
