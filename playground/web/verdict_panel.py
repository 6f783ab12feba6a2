"""The verdict panel: the latest verdict's banner under the buttons, and its tests, charts and output below."""

from __future__ import annotations

import streamlit as st

from playground.judge.verdict import Figures
from playground.web.boot import Ctx
from playground.web.format import (
    banner,
    escape_markdown,
    first_failing,
    is_accepted,
    is_internal_error,
    summary,
    test_rows,
)
from playground.web.state_view import CHART_CONFIG, show_model_state
from playground.web.verdict_charts import TestCharts, test_charts


def show_banner(verdict: dict) -> None:
    """The status with the judge's message, the hint, and the one-line summary."""
    if is_accepted(verdict):
        st.success(banner(verdict), icon=":material/check_circle:")
    elif is_internal_error(verdict):
        st.warning(banner(verdict), icon=":material/warning:")
    else:
        st.error(banner(verdict), icon=":material/cancel:")
    if verdict.get("hint"):
        st.info(f"**Hint:** {escape_markdown(verdict['hint'])}", icon=":material/lightbulb:")
    st.caption(summary(verdict))


def show_details(verdict: dict, figures: list[Figures], key: str) -> None:
    """Every test, the charts, and what the code printed and warned."""
    rows = test_rows(verdict)
    if rows:
        st.table(rows, hide_index=True, border="horizontal")
    if figures:
        show_charts(verdict, figures, key)
    show_output(verdict)


@st.fragment
def show_charts(verdict: dict, figures: list[Figures], key: str) -> None:
    """The charts of the test the learner picks (picking another reruns only this part)."""
    passed = {t.get("name"): bool(t.get("passed")) for t in verdict.get("tests") or [] if isinstance(t, dict)}
    names = [f.test_name for f in figures]
    index = first_failing([(name, passed.get(name, True)) for name in names])
    picker, _ = st.columns([1, 2])
    chosen = picker.selectbox("Draw the test", names, index=index, key=f"figure-{key}",
                              help="Pick a visible test to see your kernel and output next to the reference.")
    picked = figures[names.index(chosen)]
    draw_test_charts(test_charts(key, picked), key)


def draw_test_charts(built: TestCharts, key: str) -> None:
    """One test's charts, from the figures built once for its verdict."""
    for number, own in enumerate(built.own):
        st.plotly_chart(own.figure, key=f"own-{key}-{number}", config=CHART_CONFIG)
        if own.note:
            st.caption(escape_markdown(own.note))
    if built.kernel and built.kernel.figure is not None:
        st.plotly_chart(built.kernel.figure, key=f"kernel-{key}", config=CHART_CONFIG)
    elif built.kernel and built.kernel.note:
        st.info(escape_markdown(built.kernel.note))
    if built.output is not None:
        st.plotly_chart(built.output, key=f"output-{key}", config=CHART_CONFIG)
    for number, panel in enumerate(built.panels):
        if panel.figure is not None:
            st.plotly_chart(panel.figure, key=f"panel-{key}-{number}", config=CHART_CONFIG)
        else:
            st.info(escape_markdown(panel.note or ""))
    show_model_state(built, key)


def show_output(verdict: dict) -> None:
    """What the code printed and the warnings it raised."""
    printed, warned = st.columns(2)
    with printed:
        st.markdown("**What your code printed**")
        if verdict.get("stdout"):
            st.code(verdict["stdout"], language="text", height=min(400, 40 + 21 * verdict["stdout"].count("\n")))
        else:
            st.caption("Nothing.")
    with warned:
        st.markdown("**Warnings your code raised**")
        if verdict.get("warnings"):
            st.code("\n".join(str(w) for w in verdict["warnings"]), language="text", wrap_lines=True)
        else:
            st.caption("None.")


def latest_banner(ctx: Ctx) -> None:
    """The latest verdict's headline, right under the buttons."""
    result = ctx.state.results.get(ctx.problem.id)
    if result is None:
        st.caption("Press **Run** to check the examples, or **Submit** to run every test and record the result.")
        return
    show_banner(result.verdict)


def latest_details(ctx: Ctx) -> None:
    """The latest verdict's tests, charts and output, across the page."""
    result = ctx.state.results.get(ctx.problem.id)
    if result is None or not (result.verdict.get("tests") or result.verdict.get("stdout") or result.figures):
        return
    st.subheader(f"Your last {'Run' if result.mode == 'run' else 'Submit'}, test by test")
    show_details(result.verdict, result.figures, result.request[:12])
    st.divider()
