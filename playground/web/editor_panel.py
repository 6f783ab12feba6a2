"""The editor panel: the code editor (or plain text box), the learner's own input, and the action buttons."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.web import callbacks
from playground.web.boot import Ctx
from playground.web.custom_input import field_defaults, parse_custom
from playground.web.fragments import in_fragment_rerun, rerun_whole_page
from playground.web.services import services
from playground.web.session import PageState, take_editor_event

EDITOR_PROPS = {
    "enableLiveAutocompletion": False,
    "enableBasicAutocompletion": False,
    "enableSnippets": False,
    "fontSize": 13,
    # The editor sends its text (and the page saves the draft) once typing has paused this long.
    "debounceChangePeriod": 1000,
    # The component's default top scroll margin shifts the text but not the line numbers after an edit.
    "scrollMargin": [0, 0, 0, 0],
}
EDITOR_OPTIONS = {"showLineNumbers": True, "tabSize": 4, "useSoftTabs": True, "displayIndentGuides": True}


@functools.cache
def _code_editor() -> Callable[..., Any] | None:
    # Imported on a page run, not with this module: a component registers itself with the running server
    # only when it is declared inside a script run (app.py's module is imported before the server runs).
    try:
        from code_editor import code_editor
    except Exception:  # noqa: BLE001 - without the component the plain text area still works
        return None
    return code_editor


def has_code_editor() -> bool:
    """True when the code editor component is installed (otherwise the plain text box is used)."""
    return _code_editor() is not None


def editor(ctx: Ctx) -> bool:
    """The code editor (or the plain text area); True when Ctrl+Enter asked to run."""
    pid, state = ctx.problem.id, ctx.state
    code_editor = _code_editor()
    if plain_editor_shown():
        # Clicking the toggle blurs the code editor: its last text arrives in this same rerun.
        take_editor_event(state, pid, st.session_state.get(state.editor_key(pid)))
        if st.session_state.get("code") != state.sources[pid]:
            st.session_state["code"] = state.sources[pid]
        st.text_area("Your code", key="code", height=520, on_change=callbacks.typed, args=(pid,),
                     label_visibility="collapsed")
        st.caption("Your code is kept when you click outside the box (or press Ctrl+Enter).")
        refused(state)
        return False
    event = code_editor(
        state.sources[pid], lang="python", key=state.editor_key(pid), response_mode=["debounce", "blur"],
        height=[22, 40], shortcuts="vscode", props=EDITOR_PROPS, options=EDITOR_OPTIONS,
    )
    st.caption("Your code is saved a moment after you stop typing. Ctrl+Enter in the editor runs the examples.")
    ctrl_enter = take_editor_event(state, pid, event) == "submit"
    refused(state)
    return ctrl_enter


def editor_part(ctx: Ctx) -> EditorParts:
    """The editor with its draft saving and the note on a changed result.

    The code editor reruns alone while the learner types, pastes or leaves it, so the verdict, its charts, the
    history and the sidebar are not redrawn for an edit; Ctrl+Enter, which asks for a Run, reruns the whole
    page. The plain text box stays part of the whole page: it sends its text only as it loses focus, often to
    the Run or Submit button, and a click that blurs a fragment's text box is lost in Streamlit 1.67.
    """
    if plain_editor_shown():
        return _editor_and_note(ctx)
    return _editor_fragment(ctx)


def plain_editor_shown() -> bool:
    """True when the plain text box replaces the code editor (asked for, or the component is missing)."""
    return bool(st.session_state.get("plain_editor")) or _code_editor() is None


def _editor_and_note(ctx: Ctx) -> EditorParts | None:
    ctrl_enter = editor(ctx)
    autosave(ctx)
    note = st.empty()
    if not in_fragment_rerun():
        return EditorParts(ctrl_enter, note)  # the whole page's run writes the note once it has judged
    changed_since_result(ctx, note)
    ctx.state.refused = None  # shown once by the editor above; a whole-page run clears it in app.py
    if ctrl_enter:
        ctx.state.run_asked = True
        rerun_whole_page()
    return None


_editor_fragment = st.fragment(_editor_and_note)


@dataclass(frozen=True)
class EditorParts:
    """What the whole page's run takes from the editor: whether Ctrl+Enter asked to run, and the note's place."""

    ctrl_enter: bool
    note: DeltaGenerator

    def run_asked(self, state: PageState) -> bool:
        """True when Ctrl+Enter asked for a Run, in this run or in a rerun of the editor alone."""
        asked, state.run_asked = state.run_asked, False
        return self.ctrl_enter or asked


def changed_since_result(ctx: Ctx, note: DeltaGenerator) -> None:
    """Say, in the note's place under the editor, when the code is not the code the latest verdict judged."""
    result = ctx.state.results.get(ctx.problem.id)
    if result is not None and result.source != ctx.state.sources.get(ctx.problem.id):
        note.caption("You have changed your code since this result; Run or Submit again to check the new version.")


def refused(state: PageState) -> None:
    """Say why the code sent in this run was not taken (app.py clears it once the run is drawn)."""
    if state.refused:
        st.error(state.refused, icon=":material/block:")


def keep_left_problem(ctx: Ctx) -> None:
    """When the learner switched problems, keep what the editor of the problem they left last sent."""
    state, left = ctx.state, ctx.state.shown_problem
    if left and left != ctx.problem.id and left in state.sources:
        # Clicking the picker blurs the editor, so its last text arrives in the same rerun as the switch.
        take_editor_event(state, left, st.session_state.get(state.editor_key(left)))
        autosave(ctx, left)
    state.shown_problem = ctx.problem.id


def autosave(ctx: Ctx, problem_id: str | None = None) -> None:
    """Save the draft whenever the committed code changed."""
    pid, state = problem_id or ctx.problem.id, ctx.state
    if state.needs_saving(pid) and ctx.store.save_draft(state.learner_id, pid, state.sources[pid]):
        state.saved[pid] = state.sources[pid]


def custom_input(ctx: Ctx) -> tuple[bool, dict | None, str | None]:
    """The learner's own input for Run: (turned on, inputs, error)."""
    defaults = field_defaults(ctx.problem)
    limit = (ctx.services or services()).limits.custom_input_bytes
    with st.expander("Your own input for Run", icon=":material/tune:"):
        on = st.checkbox("Also run this input when I press Run", key="custom_on")
        columns = st.columns([3 if is_list else 1 for _, is_list in defaults.values()])
        fields = {
            name: column.text_input(name, value=text, key=f"custom_{name}",
                                    help="Numbers separated by commas" if is_list else "A number")
            for column, (name, (text, is_list)) in zip(columns, defaults.items(), strict=True)
        }
        inputs, error = parse_custom(ctx.problem, fields, limit)
        if on and error:
            st.error(error)
        elif on:
            st.caption("Run adds this input as the test “custom” and checks it against the reference solution.")
        else:
            st.caption("The fields start as example 1: change them, then tick the box to add them to Run.")
    return on, inputs, error


def action_buttons(ctx: Ctx, ctrl_enter: bool) -> str | None:
    """Run, Submit and Reset (with its confirmation); returns the mode to judge, if any."""
    disabled = ctx.judge is None
    run_col, submit_col, reset_col = st.columns([1, 1, 1.4])
    run = run_col.button("Run", key="run", icon=":material/play_arrow:", disabled=disabled, width="stretch",
                         help="Check the visible examples (and your own input, if turned on).")
    submit = submit_col.button("Submit", key="submit", type="primary", icon=":material/task_alt:", disabled=disabled, width="stretch",
                               help="Run every test, hidden ones included, and record the result.")
    reset_col.button("Reset to starter", key="reset", icon=":material/restart_alt:", on_click=callbacks.ask, args=("reset",), width="stretch")
    if ctx.state.confirm == "reset":
        st.warning("Replace your code with the starter code? What you wrote will be gone "
                   "(anything you submitted stays in your history).")
        yes, no = st.columns(2)
        yes.button("Yes, reset my code", key="reset_yes", on_click=callbacks.replace_code,
                   args=(ctx.problem.id, ctx.problem.starter))
        no.button("Keep my code", key="reset_no", on_click=callbacks.ask, args=(None,))
    if submit:
        return "submit"
    return "run" if (run or ctrl_enter) and not disabled else None
