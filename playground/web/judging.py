"""Judging on Run or Submit: check the code and the learner's input, judge once, keep the verdict and the code."""

from __future__ import annotations

import logging
import time

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from playground.web import callbacks
from playground.web.boot import Ctx
from playground.web.custom_input import has_lookalikes, source_issue
from playground.web.format import is_internal_error
from playground.web.services import services
from playground.web.session import Result, is_repeat, request_key

log = logging.getLogger("playground.page")
INTERNAL_ERROR_MESSAGE = "The playground failed for a reason your code did not cause; please try again."


def judge_now(ctx: Ctx, mode: str, custom: tuple[bool, dict | None, str | None]) -> None:
    """Check the input, then judge it once (a double click shows the same verdict)."""
    pid, state = ctx.problem.id, ctx.state
    if state.refused:
        return  # the code sent with this click was refused (the editor says why): judging the older code would mislead
    source = state.sources[pid]
    current = ctx.services or services()
    issue = source_issue(source, ctx.problem.entry_point, current.limits.code_bytes)
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
    ticket = current.gate.enter(state.learner_id, _session_id())
    if isinstance(ticket, str):
        st.warning(ticket, icon=":material/hourglass_top:")
        return
    state.judging = key
    what = "Running the examples" if mode == "run" else "Running every test"
    with st.spinner(f"{what}…", show_time=True):
        try:
            verdict = ctx.judge.submit(pid, source, mode, custom_input=extra, learner=ctx.state.learner_id)
        except Exception:  # noqa: BLE001 - the judge never raises for user code; this is our bug
            log.exception("The judge raised")
            st.error("The playground failed while judging; please try again.")
            return
        finally:
            current.gate.leave(ticket)
        data = verdict.to_dict()
        if is_internal_error(data):
            # What failed (a host, a path, a driver's words) is for the operator, not for the visitor.
            log.warning("Internal error judging %s: %s", pid, data.get("message"))
            data["message"] = INTERNAL_ERROR_MESSAGE
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


def _session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "no-session"

