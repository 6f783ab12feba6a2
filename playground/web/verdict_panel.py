"""The verdict panel: the latest verdict's banner under the buttons, and its tests, charts and output below."""

from __future__ import annotations

import streamlit as st

from playground.judge.verdict import Figures
from playground.web import figures as charts
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
from playground.web.problem_panels import show_problem_panels
from playground.web.state_view import show_model_state


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


def show_charts(verdict: dict, figures: list[Figures], key: str) -> None:
    """Kernel heatmaps and output bars for the test the learner picks."""
    passed = {t.get("name"): bool(t.get("passed")) for t in verdict.get("tests") or [] if isinstance(t, dict)}
    names = [f.test_name for f in figures]
    index = first_failing([(name, passed.get(name, True)) for name in names])
    picker, _ = st.columns([1, 2])
    chosen = picker.selectbox("Draw the test", names, index=index, key=f"figure-{key}",
                              help="Pick a visible test to see your kernel and output next to the reference.")
    picked = figures[names.index(chosen)]
    show_problem_panels(picked, key)
    kernel = charts.kernel_figure(picked)
    if kernel is not None:
        st.plotly_chart(kernel, key=f"kernel-{key}", config={"displaylogo": False})
    elif picked.kernel_note:
        st.info(escape_markdown(picked.kernel_note))
    output = charts.output_figure(picked)
    if output is not None:
        st.plotly_chart(output, key=f"output-{key}", config={"displaylogo": False})
    for number, panel in enumerate(picked.panels):
        extra = charts.panel_figure(panel, picked.test_name)
        if extra is not None:
            st.plotly_chart(extra, key=f"panel-{key}-{number}", config={"displaylogo": False})
        elif panel.note:
            st.info(escape_markdown(panel.note))
    show_model_state(picked, key)


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
    if result.source != ctx.state.sources.get(ctx.problem.id):
        st.caption("You have changed your code since this result; Run or Submit again to check the new version.")


def latest_details(ctx: Ctx) -> None:
    """The latest verdict's tests, charts and output, across the page."""
    result = ctx.state.results.get(ctx.problem.id)
    if result is None or not (result.verdict.get("tests") or result.verdict.get("stdout") or result.figures):
        return
    st.subheader(f"Your last {'Run' if result.mode == 'run' else 'Submit'}, test by test")
    show_details(result.verdict, result.figures, result.request[:12])
    st.divider()
