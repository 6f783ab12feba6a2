"""Widget callbacks: they run before the script, so the page draws their result in the same run."""

from __future__ import annotations

import logging

import streamlit as st

from playground.web.custom_input import fix_lookalikes
from playground.web.session import PageState, keep_code, next_hint_count, take_editor_event


def page() -> PageState:
    """This session's page state (boot has stored it before any widget exists)."""
    return st.session_state["page"]


def pick_problem() -> None:
    """Follow the problem picker into the URL."""
    st.query_params["problem"] = st.session_state["problem_picker"]


def go_to(problem_id: str) -> None:
    """Open another problem (Previous and Next)."""
    st.session_state["problem_picker"] = problem_id
    st.query_params["problem"] = problem_id


def typed(problem_id: str) -> None:
    """Keep what the plain text box holds as the problem's code."""
    keep_code(page(), problem_id, str(st.session_state["code"]))


def ask(what: str | None) -> None:
    """Ask for a confirmation ("reset", "solution", "load:<id>"), or None to drop the question."""
    page().confirm = what


def replace_code(problem_id: str, code: str) -> None:
    """Put new code in the editor (reset, a loaded submission) and close the question."""
    page().set_source(problem_id, code)
    page().confirm = None


def fix_characters(problem_id: str) -> None:
    """Replace look-alike characters (curly quotes, minus signs) in the problem's code."""
    state = page()
    take_editor_event(state, problem_id, st.session_state.get(state.editor_key(problem_id)))
    replace_code(problem_id, fix_lookalikes(state.sources[problem_id]))


def reveal_hint(problem_id: str, total: int) -> None:
    """Show one more hint."""
    state = page()
    state.hints_shown[problem_id] = next_hint_count(state.hints_shown.get(problem_id, 0), total)


def reveal_solution(problem_id: str) -> None:
    """Show the reference solution from now on."""
    page().solution_shown.add(problem_id)
    page().confirm = None


def login() -> None:
    """Start signing in, or say why it is not available."""
    try:
        st.login()
    except Exception as exc:  # noqa: BLE001 - e.g. Authlib missing: say so instead of crashing
        logging.getLogger("playground.page").warning("Signing in failed: %s", exc)
        page().notice = ("warning", "Signing in is not available here right now (the details are in the server log).")
