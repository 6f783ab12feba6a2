"""Judging on Run or Submit: check the code and the learner's input, judge once, keep the verdict and the code."""

from __future__ import annotations

import time

import streamlit as st

from playground.judge import MAX_SOURCE_BYTES
from playground.web import callbacks
from playground.web.boot import Ctx
from playground.web.custom_input import has_lookalikes, source_issue
from playground.web.format import is_internal_error
from playground.web.session import Result, is_repeat, request_key


def judge_now(ctx: Ctx, mode: str, custom: tuple[bool, dict | None, str | None]) -> None:
    """Check the input, then judge it once (a double click shows the same verdict)."""
    pid, state = ctx.problem.id, ctx.state
    source = state.sources[pid]
    issue = source_issue(source, ctx.problem.entry_point, MAX_SOURCE_BYTES)
    if issue:
        st.error(issue)
        if has_lookalikes(source):
            st.button("Fix look-alike characters", key="fix_chars", on_click=callbacks.fix_characters, args=(pid,))
        return
    on, inputs, error = custom
    if mode == "run" and on and error:
        st.error(f"Your own input cannot be used: {error} Fix it under “Your own input for Run”, or turn it off.")
        return
    extra = inputs if mode == "run" and on else None
    key = request_key(pid, mode, source, extra)
    if is_repeat(state, pid, key):
        return
    state.judging = key
    what = "Running the examples" if mode == "run" else "Running every test"
    with st.spinner(f"{what}…", show_time=True):
        try:
            verdict = ctx.judge.submit(pid, source, mode, custom_input=extra)
        except Exception as exc:  # noqa: BLE001 - the judge never raises for user code; this is our bug
            st.error(f"The playground failed while judging ({type(exc).__name__}); please try again.")
            return
        data = verdict.to_dict()
        state.results[pid] = Result(key, mode, source, data, verdict.figures, time.monotonic())
        # Saved inside the spinner: a second click may interrupt the script as soon as it draws again.
        # An internal error is our failure, not an attempt: only the draft is kept, progress stays as it was.
        if mode == "submit" and not is_internal_error(data):
            state.submitted.add(pid)
            saved = ctx.store.add_submission(state.learner_id, pid, source, data, verdict.figures) is not None
        else:
            saved = ctx.store.save_draft(state.learner_id, pid, source)
        if saved:
            state.saved[pid] = source
