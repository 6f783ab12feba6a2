"""The playground page's outline: which panels appear, in which order; each panel lives in playground.web.

`streamlit run app.py` finds `app` (an st.App) below and serves the page with its lifespan: the judge and
the store start with the server, not with the first visitor, and stop only with it.
"""

from __future__ import annotations

import streamlit as st

from playground.web.boot import boot, show_notices
from playground.web.editor_panel import (
    action_buttons,
    changed_since_result,
    custom_input,
    editor_part,
    keep_left_problem,
)
from playground.web.history_panel import history_panel
from playground.web.judging import judge_now
from playground.web.problem_panel import problem_panel
from playground.web.session import solution_unlocked
from playground.web.sidebar import sidebar
from playground.web.verdict_panel import latest_banner, latest_details

# Streamlit's wide layout keeps 5rem of padding each side (the editor needs the room more), and its
# text area is not monospaced (code in the plain editor needs to be).
PAGE_CSS = (
    "<style>"
    '[data-testid="stMainBlockContainer"] {padding: 2rem 2.5rem 4rem 2.5rem;}'
    '[data-testid="stTextArea"] textarea {font-family: "Source Code Pro", monospace; font-size: 13px;'
    " white-space: pre; overflow-x: auto;}"
    "</style>"
)


def main() -> None:
    """Lay out the page for this run."""
    st.set_page_config(page_title="flax.nnx playground", page_icon=":material/science:", layout="wide")
    st.html(PAGE_CSS)
    notices = st.container()
    ctx = boot(notices)
    keep_left_problem(ctx)
    st.title(ctx.problem.title)
    left, right = st.columns([5, 7], gap="medium")
    with right:
        parts = editor_part(ctx)
        custom = custom_input(ctx)
        mode = action_buttons(ctx, parts.run_asked(ctx.state))
        if mode and ctx.judge is not None:
            judge_now(ctx, mode, custom)
        latest_banner(ctx)
        changed_since_result(ctx, parts.note)
    records = ctx.store.submissions(ctx.state.learner_id, ctx.problem.id)
    submitted = solution_unlocked(ctx.state, ctx.problem.id, len(records))
    with left:
        problem_panel(ctx, submitted)
    st.divider()
    latest_details(ctx)
    history_panel(ctx, records)
    # Drawn last, so the picker's progress includes a submission judged in this run.
    with st.sidebar:
        sidebar(ctx)
    with notices:
        show_notices(ctx)
    ctx.state.judging = None
    ctx.state.refused = None


if __name__ == "__main__":
    main()
else:
    from starlette.middleware import Middleware

    from playground.web.server import BrowserCookie, lifespan, script_failed

    app = st.App(__file__, lifespan=lifespan, middleware=[Middleware(BrowserCookie)], on_script_error=script_failed)
