"""The problem panel: the statement, hints one at a time, and the solution after a submission."""

from __future__ import annotations

import streamlit as st

from playground.web import callbacks
from playground.web.boot import Ctx
from playground.web.format import escape_markdown

PANEL_HEIGHT = 720


def problem_panel(ctx: Ctx, submitted: bool) -> None:
    """The statement, hints one at a time, and the solution after a submission."""
    statement, hints, solution = st.tabs([":material/description: Problem", ":material/lightbulb: Hints",
                                          ":material/key: Solution"])
    # Fixed-height boxes keep the editor and the verdict beside the statement instead of below it.
    with statement, st.container(height=PANEL_HEIGHT, border=False):
        st.markdown(ctx.problem.statement)
    with hints, st.container(height=PANEL_HEIGHT, border=False):
        hints_panel(ctx)
    with solution, st.container(height=PANEL_HEIGHT, border=False):
        solution_panel(ctx, submitted)


def hints_panel(ctx: Ctx) -> None:
    """Hints revealed one at a time, gentlest first."""
    pid, all_hints = ctx.problem.id, ctx.problem.hints
    shown = ctx.state.hints_shown.get(pid, 0)
    if not shown:
        st.caption("Stuck? Each hint gives away a little more than the one before.")
    for number, hint in enumerate(all_hints[:shown], start=1):
        st.info(f"**Hint {number} of {len(all_hints)}.** {escape_markdown(hint)}")
    if shown < len(all_hints):
        st.button(f"Show hint {shown + 1} of {len(all_hints)}", key="hint", on_click=callbacks.reveal_hint,
                  args=(pid, len(all_hints)))
    else:
        st.caption("That is every hint.")


def solution_panel(ctx: Ctx, submitted: bool) -> None:
    """The reference solution, behind a first submission and a confirmation."""
    pid = ctx.problem.id
    if not submitted:
        st.caption("The reference solution unlocks after your first Submit. Try it yourself first: the hints help.")
    elif pid in ctx.state.solution_shown:
        st.code(ctx.problem.solution_source(), language="python", line_numbers=True)
    elif ctx.state.confirm == "solution":
        st.warning("Seeing the solution ends the puzzle for this problem. Show it anyway?")
        yes, no = st.columns(2)
        yes.button("Yes, show it", key="solution_yes", on_click=callbacks.reveal_solution, args=(pid,))
        no.button("Not yet", key="solution_no", on_click=callbacks.ask, args=(None,))
    else:
        st.button("Show the reference solution", key="solution", on_click=callbacks.ask, args=("solution",))
