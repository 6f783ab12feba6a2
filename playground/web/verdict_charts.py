"""A verdict's charts, built once per verdict and test, and kept in the session while that verdict is shown.

Building plotly figures is most of what a rerun of the page would otherwise cost: an edit, a click in the
history or another test picked would rebuild every figure of a verdict that has not changed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from playground.judge.state_diff import StateDifference
from playground.judge.verdict import Figures
from playground.web import figures as charts
from playground.web.problem_panels import chart_figure
from playground.web.state_figures import learner_marks, reference_marks, state_figure
from playground.web.state_view import differences_between

CACHE_KEY = "verdict_charts"
VERDICTS_KEPT = 4  # the latest verdict, and a few opened from the history


@dataclass(frozen=True)
class Drawn:
    """One chart ready to draw (a plotly figure), or the note shown in its place."""

    figure: go.Figure | None
    note: str | None = None


@dataclass(frozen=True)
class TestCharts:
    """Everything drawn for one test of one verdict, in page order."""

    figures: Figures
    own: list[Drawn] = field(default_factory=list)  # the problem's own panels (playground.web.problem_panels)
    kernel: Drawn | None = None
    output: go.Figure | None = None
    panels: list[Drawn] = field(default_factory=list)
    differences: list[StateDifference] = field(default_factory=list)
    learner_state: go.Figure | None = None
    reference_state: go.Figure | None = None


def test_charts(verdict_key: str, figures: Figures) -> TestCharts:
    """The test's charts, built on first use for this verdict and then reused."""
    return cached(verdict_key, figures.test_name, lambda: build_test_charts(figures))


def cached(verdict_key: str, test_name: str, build: Callable[[], Any]) -> Any:
    """The session's entry for (verdict, test), built once; only the latest few verdicts are kept."""
    store: OrderedDict[str, dict[str, Any]] = st.session_state.setdefault(CACHE_KEY, OrderedDict())
    entry = store.setdefault(verdict_key, {})
    store.move_to_end(verdict_key)
    while len(store) > VERDICTS_KEPT:
        store.popitem(last=False)
    if test_name not in entry:
        entry[test_name] = build()
    return entry[test_name]


def build_test_charts(figures: Figures) -> TestCharts:
    """Every figure of one test, built now (each extra panel kind is drawn in this one place)."""
    own = [Drawn(_figure(chart_figure(chart, figures.test_name)), chart.note) for chart in figures.charts]
    kernel = charts.kernel_figure(figures)
    panels = []
    for panel in figures.panels:
        extra = charts.panel_figure(panel, figures.test_name)
        if extra is not None or panel.note:
            panels.append(Drawn(extra, None if extra is not None else panel.note))
    mine, theirs = figures.learner_state, figures.reference_state
    differences = differences_between(mine, theirs)
    drawable_mine = mine is not None and mine.built and not mine.unreadable
    drawable_theirs = theirs is not None and theirs.built
    return TestCharts(
        figures=figures,
        own=own,
        kernel=Drawn(kernel, None if kernel is not None else figures.kernel_note),
        output=charts.output_figure(figures),
        panels=panels,
        differences=differences,
        learner_state=state_figure(mine, "Your model", learner_marks(differences)) if drawable_mine else None,
        reference_state=state_figure(theirs, "Reference", reference_marks(differences)) if drawable_theirs else None,
    )


def _figure(spec: dict[str, Any]) -> go.Figure:
    # st.plotly_chart validates a plain dict on every call; validated once here (which also expands python-side
    # names such as a reversed colour scale), a figure is only copied to JSON on later reruns.
    return go.Figure(spec)
