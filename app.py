"""The playground page: widgets and layout only; every decision lives in playground.web."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.judge import MAX_SOURCE_BYTES, IsolationError, Judge
from playground.judge.verdict import Figures
from playground.problems import Problem, all_problems
from playground.store.sqlite_store import DATA_DIR_ENV, DEFAULT_DATA_DIR, Store, StoreError, SubmissionRecord
from playground.web import figures as charts
from playground.web.custom_input import field_defaults, fix_lookalikes, has_lookalikes, parse_custom, source_issue
from playground.web.format import banner, escape_markdown, first_failing, is_accepted, summary, test_rows
from playground.web.history import browser_zone, code_diff, history_rows, progress_label, record_label
from playground.web.safe_store import SafeStore
from playground.web.sandbox_status import limit_lines, missing_sentence, protection_lines
from playground.web.session import (
    PageState,
    Result,
    account_learner_id,
    forget_unedited,
    is_repeat,
    learner_from_query,
    load_source,
    next_hint_count,
    problem_from_query,
    request_key,
    solution_unlocked,
    take_editor_event,
)

try:
    from code_editor import code_editor
except Exception:  # noqa: BLE001 - without the component the plain text area still works
    code_editor = None

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
# Streamlit's wide layout keeps 5rem of padding each side (the editor needs the room more), and its
# text area is not monospaced (code in the plain editor needs to be).
PAGE_CSS = (
    "<style>"
    '[data-testid="stMainBlockContainer"] {padding: 2rem 2.5rem 4rem 2.5rem;}'
    '[data-testid="stTextArea"] textarea {font-family: "Source Code Pro", monospace; font-size: 13px;'
    " white-space: pre; overflow-x: auto;}"
    "</style>"
)
PANEL_HEIGHT = 720
EDITOR_OPTIONS = {"showLineNumbers": True, "tabSize": 4, "useSoftTabs": True, "displayIndentGuides": True}


HISTORY_COLUMNS = {
    "#": st.column_config.TextColumn(width="small"),
    "When": st.column_config.TextColumn(width="medium"),
    "Result": st.column_config.TextColumn(width="medium"),
    "Passed": st.column_config.TextColumn(width="small"),
    "Time": st.column_config.TextColumn(width="small"),
}


@dataclass
class Ctx:
    """What every part of the page needs for this run."""

    judge: Judge | None
    store: SafeStore
    state: PageState
    problem: Problem
    anon_id: str
    account_id: str | None
    account_name: str


def _release(value: object) -> None:
    # Clearing the cache (or shutting down) stops the judge's workers and closes the database.
    resource = value[0] if isinstance(value, tuple) else value
    if resource is not None:
        resource.close()


@st.cache_resource(show_spinner="Starting the sandbox…", on_release=_release)
def shared_judge() -> tuple[Judge | None, str | None]:
    """One started judge per server process, or the reason isolation was refused."""
    judge = Judge(pool_size=2)
    try:
        judge.start()
    except IsolationError as exc:
        return None, str(exc)
    judge.wait_until_ready(next(iter(all_problems())), timeout=15)
    return judge, None


@st.cache_resource(show_spinner=False, on_release=_release)
def shared_store(data_dir: str) -> Store:
    """One open store per data folder; failures are raised, so they are retried next run."""
    store, error = Store.open_or_error(data_dir)
    if store is None:
        raise StoreError(error)
    return store


def open_store() -> SafeStore:
    """The store wrapped so failures become warnings."""
    try:
        return SafeStore(shared_store(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR))
    except StoreError as exc:
        return SafeStore(None, str(exc))


def start_judge() -> tuple[Judge | None, str | None]:
    """The shared judge, or None and a sentence for the banner."""
    try:
        return shared_judge()
    except Exception as exc:  # noqa: BLE001 - shown as a banner; reloading retries
        return None, f"The sandbox could not start ({type(exc).__name__}); reload the page to try again."


def auth_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section for st.login."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def signed_in_account() -> tuple[str | None, str]:
    """The signed-in account's learner id (or None) and a name to show."""
    if not auth_configured():
        return None, ""
    try:
        user = st.user.to_dict()
    except Exception:  # noqa: BLE001 - auth misconfigured: behave as signed out
        return None, ""
    return account_learner_id(user), str(user.get("name") or user.get("email") or "your account")


def page_state(learner_id: str) -> PageState:
    """This session's state for the learner, new when the learner changes."""
    state = st.session_state.get("page")
    if not isinstance(state, PageState) or state.learner_id != learner_id:
        state = PageState(learner_id)
        st.session_state["page"] = state
    return state


def boot(notices: DeltaGenerator) -> Ctx:
    """Judge, store, learner and problem for this run; fixes the URL when u or problem is missing."""
    judge, judge_error = start_judge()
    if judge_error:
        notices.error(f"Code cannot be run: {judge_error}", icon=":material/block:")
    anon_id, rewrite = learner_from_query(st.query_params.get("u"))
    if rewrite:
        st.query_params["u"] = anon_id
    account_id, account_name = signed_in_account()
    problems = all_problems()
    problem_id, note = problem_from_query(st.query_params.get("problem"), list(problems))
    if st.query_params.get("problem") != problem_id:
        st.query_params["problem"] = problem_id
    if note:
        notices.info(note)
    state = page_state(account_id or anon_id)
    store = open_store()
    load_source(state, store, problem_id, problems[problem_id].starter)
    return Ctx(judge, store, state, problems[problem_id], anon_id, account_id, account_name)


# --- callbacks (run before the script, so the editor shows their result) ---------------------


def _state() -> PageState:
    return st.session_state["page"]


def _pick_problem() -> None:
    st.query_params["problem"] = st.session_state["problem_picker"]


def _go_to(problem_id: str) -> None:
    st.session_state["problem_picker"] = problem_id
    st.query_params["problem"] = problem_id


def _typed(problem_id: str) -> None:
    _state().sources[problem_id] = st.session_state["code"]


def _ask(what: str | None) -> None:
    _state().confirm = what


def _replace_code(problem_id: str, code: str) -> None:
    _state().set_source(problem_id, code)
    _state().confirm = None


def _fix_characters(problem_id: str) -> None:
    state = _state()
    take_editor_event(state, problem_id, st.session_state.get(state.editor_key(problem_id)))
    _replace_code(problem_id, fix_lookalikes(state.sources[problem_id]))


def _reveal_hint(problem_id: str, total: int) -> None:
    state = _state()
    state.hints_shown[problem_id] = next_hint_count(state.hints_shown.get(problem_id, 0), total)


def _reveal_solution(problem_id: str) -> None:
    _state().solution_shown.add(problem_id)
    _state().confirm = None


def _login() -> None:
    try:
        st.login()
    except Exception as exc:  # noqa: BLE001 - e.g. Authlib missing: say so instead of crashing
        _state().notice = ("warning", f"Signing in is not available here ({type(exc).__name__}: {exc}).")


# --- sidebar ---------------------------------------------------------------------------------


def sidebar(ctx: Ctx) -> None:
    """Problem picker with progress, editor choice, saving, account and the sandbox."""
    st.header(":material/science: flax.nnx playground")
    problems = all_problems()
    progress = ctx.store.progress(ctx.state.learner_id)
    if st.session_state.get("problem_picker") != ctx.problem.id:
        st.session_state["problem_picker"] = ctx.problem.id
    # Labels stay fixed (the browser keeps the picked label); progress goes in the captions.
    st.radio(
        "Problem",
        list(problems),
        key="problem_picker",
        format_func=lambda pid: problems[pid].title,
        captions=[progress_label(progress.get(pid)) for pid in problems],
        on_change=_pick_problem,
    )
    ids = list(problems)
    index = ids.index(ctx.problem.id)
    before, after = st.columns(2)
    before.button("Previous", key="previous_problem", icon=":material/arrow_back:", width="stretch",
                  disabled=index == 0, on_click=_go_to, args=(ids[max(index - 1, 0)],))
    after.button("Next", key="next_problem", icon=":material/arrow_forward:", width="stretch",
                 disabled=index == len(ids) - 1, on_click=_go_to, args=(ids[min(index + 1, len(ids) - 1)],))
    st.toggle(
        "Plain text editor",
        key="plain_editor",
        help="A simple text box instead of the code editor: handy with screen readers or on a phone.",
    )
    if code_editor is None:
        st.caption("The code editor component is not installed, so the plain text box is used.")
    account_section(ctx)
    saving_section(ctx)
    sandbox_section(ctx)


def account_section(ctx: Ctx) -> None:
    """Sign in and claim this browser's work, only when st.login is configured."""
    if not auth_configured():
        return
    st.subheader("Account")
    if ctx.account_id is None:
        st.caption("Sign in to keep your work with your account instead of this page's address.")
        st.button("Sign in", key="login", on_click=_login)
        return
    st.caption(f"Signed in as {ctx.account_name}: your work follows your account.")
    if st.button("Move this browser's anonymous work to my account", key="claim"):
        moved, error = ctx.store.claim(ctx.anon_id, ctx.account_id)
        if error:
            st.error(error)
        else:
            reload_with_notice(ctx, f"Moved {moved} saved items from this browser to your account.")
    st.button("Sign out", key="logout", on_click=st.logout)


def reload_with_notice(ctx: Ctx, notice: str) -> None:
    """Redraw the page from the store (history, progress, untouched drafts) and say what happened."""
    forget_unedited(ctx.state)
    ctx.state.notice = ("success", notice)
    st.rerun()


def saving_section(ctx: Ctx) -> None:
    """Where work is kept, and export and import of the whole history."""
    with st.expander("Your saved work", icon=":material/save:"):
        st.caption(
            "Drafts save a moment after you stop typing and on every Run and Submit. They belong to the "
            "learner id in this page's address (`u=`): bookmark it to come back, and keep it private."
        )
        data = ctx.store.export_json(ctx.state.learner_id)
        if data is not None:
            st.download_button(
                "Download my history (JSON)",
                data=data,
                file_name="flax-nnx-playground-history.json",
                mime="application/json",
                key="export",
                on_click="ignore",
            )
        upload = st.file_uploader("Import a history file", type=["json"], key="import_file")
        if upload is not None and st.button("Import", key="import"):
            added, error = ctx.store.import_json(ctx.state.learner_id, upload.getvalue())
            if error:
                st.error(error)
            else:
                reload_with_notice(ctx, f"Imported {added} new submission{'s' if added != 1 else ''} "
                                        "(drafts you already had were kept).")


def sandbox_section(ctx: Ctx) -> None:
    """The limits every run has and the protections around it."""
    with st.expander("Sandbox", icon=":material/shield:"):
        if ctx.judge is None:
            st.caption("The sandbox is not running.")
            return
        st.markdown("**Each run may use at most**")
        st.markdown("\n".join(f"- {line}" for line in limit_lines(ctx.judge.limits, MAX_SOURCE_BYTES)))
        active = ctx.judge.protections
        if active:
            st.markdown("**Your code**")
            st.markdown("\n".join(f"- {line}" for line in protection_lines(active)))
        else:
            st.caption("Protections are listed once the first sandbox is ready.")
    missing = missing_sentence(ctx.judge.missing_protections()) if ctx.judge and ctx.judge.protections else None
    if missing:
        st.warning(missing)


# --- problem, editor and judging -------------------------------------------------------------


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
        st.button(f"Show hint {shown + 1} of {len(all_hints)}", key="hint", on_click=_reveal_hint,
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
        yes.button("Yes, show it", key="solution_yes", on_click=_reveal_solution, args=(pid,))
        no.button("Not yet", key="solution_no", on_click=_ask, args=(None,))
    else:
        st.button("Show the reference solution", key="solution", on_click=_ask, args=("solution",))


def editor(ctx: Ctx) -> bool:
    """The code editor (or the plain text area); True when Ctrl+Enter asked to run."""
    pid, state = ctx.problem.id, ctx.state
    if st.session_state.get("plain_editor") or code_editor is None:
        # Clicking the toggle blurs the code editor: its last text arrives in this same rerun.
        take_editor_event(state, pid, st.session_state.get(state.editor_key(pid)))
        if st.session_state.get("code") != state.sources[pid]:
            st.session_state["code"] = state.sources[pid]
        st.text_area("Your code", key="code", height=520, on_change=_typed, args=(pid,),
                     label_visibility="collapsed")
        st.caption("Your code is kept when you click outside the box (or press Ctrl+Enter).")
        return False
    event = code_editor(
        state.sources[pid], lang="python", key=state.editor_key(pid), response_mode=["debounce", "blur"],
        height=[22, 40], shortcuts="vscode", props=EDITOR_PROPS, options=EDITOR_OPTIONS,
    )
    st.caption("Your code is saved a moment after you stop typing. Ctrl+Enter in the editor runs the examples.")
    return take_editor_event(state, pid, event) == "submit"


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
    with st.expander("Your own input for Run", icon=":material/tune:"):
        on = st.checkbox("Also run this input when I press Run", key="custom_on")
        columns = st.columns([3 if is_list else 1 for _, is_list in defaults.values()])
        fields = {
            name: column.text_input(name, value=text, key=f"custom_{name}",
                                    help="Numbers separated by commas" if is_list else "A number")
            for column, (name, (text, is_list)) in zip(columns, defaults.items(), strict=True)
        }
        inputs, error = parse_custom(ctx.problem, fields)
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
    reset_col.button("Reset to starter", key="reset", icon=":material/restart_alt:", on_click=_ask, args=("reset",), width="stretch")
    if ctx.state.confirm == "reset":
        st.warning("Replace your code with the starter code? What you wrote will be gone "
                   "(anything you submitted stays in your history).")
        yes, no = st.columns(2)
        yes.button("Yes, reset my code", key="reset_yes", on_click=_replace_code,
                   args=(ctx.problem.id, ctx.problem.starter))
        no.button("Keep my code", key="reset_no", on_click=_ask, args=(None,))
    if submit:
        return "submit"
    return "run" if (run or ctrl_enter) and not disabled else None


def judge_now(ctx: Ctx, mode: str, custom: tuple[bool, dict | None, str | None]) -> None:
    """Check the input, then judge it once (a double click shows the same verdict)."""
    pid, state = ctx.problem.id, ctx.state
    source = state.sources[pid]
    issue = source_issue(source, ctx.problem.entry_point, MAX_SOURCE_BYTES)
    if issue:
        st.error(issue)
        if has_lookalikes(source):
            st.button("Fix look-alike characters", key="fix_chars", on_click=_fix_characters, args=(pid,))
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
        if mode == "submit":
            state.submitted.add(pid)
            saved = ctx.store.add_submission(state.learner_id, pid, source, data) is not None
        else:
            saved = ctx.store.save_draft(state.learner_id, pid, source)
        if saved:
            state.saved[pid] = source


# --- verdicts and history --------------------------------------------------------------------


def show_banner(verdict: dict) -> None:
    """The status with the judge's message, the hint, and the one-line summary."""
    if is_accepted(verdict):
        st.success(banner(verdict), icon=":material/check_circle:")
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
    kernel = charts.kernel_figure(picked)
    if kernel is not None:
        st.plotly_chart(kernel, key=f"kernel-{key}", config={"displaylogo": False})
    elif picked.kernel_note:
        st.info(picked.kernel_note)
    output = charts.output_figure(picked)
    if output is not None:
        st.plotly_chart(output, key=f"output-{key}", config={"displaylogo": False})
    for number, panel in enumerate(picked.panels):
        extra = charts.panel_figure(panel, picked.test_name)
        if extra is not None:
            st.plotly_chart(extra, key=f"panel-{key}-{number}", config={"displaylogo": False})
        elif panel.note:
            st.info(panel.note)


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


def history_panel(ctx: Ctx, records: list[SubmissionRecord]) -> None:
    """Past submissions: a table, and one opened with its verdict, code and diff."""
    st.subheader(f"Your submissions ({len(records)})")
    if not records:
        st.caption("Nothing submitted yet: every Submit is recorded here with its verdict and code.")
        return
    zone = browser_zone(getattr(st.context, "timezone", None))
    st.dataframe(history_rows(records, zone=zone), hide_index=True, width="stretch", column_config=HISTORY_COLUMNS,
                 height=min(400, 38 + 35 * len(records)))
    by_id = {r.id: r for r in records}
    number = {r.id: len(records) - i for i, r in enumerate(records)}
    chosen = st.selectbox("Open a submission", list(by_id), index=None, key="open_submission",
                          format_func=lambda i: record_label(number[i], by_id[i], zone=zone),
                          placeholder="Choose one to see its verdict, its code and what changed since")
    if chosen is not None:
        old_submission(ctx, by_id[chosen], number[chosen])


def old_submission(ctx: Ctx, record: SubmissionRecord, number: int) -> None:
    """One past submission: its verdict, code, diff against the current code, and loading it back."""
    with st.container(border=True):
        show_banner(record.verdict)
        with st.expander("Every test and what it printed"):
            show_details(record.verdict, [], f"old-{record.id}")
            st.caption("Charts are drawn for new runs only: load this code and Run it to see them.")
        code_tab, diff_tab = st.tabs(["Its code", "What changed since (diff)"])
        with code_tab:
            st.code(record.code, language="python", line_numbers=True)
        with diff_tab:
            current = ctx.state.sources[ctx.problem.id]
            diff = code_diff(record.code, current, f"submission #{number}", "your current code")
            st.code(diff or "No differences: your current code is this submission.", language="diff")
        if ctx.state.confirm == f"load:{record.id}":
            st.warning("Replace the code in the editor with this submission? Your current code will be gone "
                       "unless you submitted it.")
            yes, no = st.columns(2)
            yes.button("Yes, load it", key="load_yes", on_click=_replace_code, args=(ctx.problem.id, record.code))
            no.button("Keep my code", key="load_no", on_click=_ask, args=(None,))
        else:
            st.button("Load this code into the editor", key="load", on_click=_ask, args=(f"load:{record.id}",))


# --- the page --------------------------------------------------------------------------------


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
        ctrl_enter = editor(ctx)
        autosave(ctx)
        custom = custom_input(ctx)
        mode = action_buttons(ctx, ctrl_enter)
        if mode and ctx.judge is not None:
            judge_now(ctx, mode, custom)
        latest_banner(ctx)
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
        if ctx.state.notice:
            level, text = ctx.state.notice
            (st.success if level == "success" else st.warning)(text)
            ctx.state.notice = None
        for warning in ctx.store.warnings:
            st.warning(warning, icon=":material/save:")
    ctx.state.judging = None


if __name__ == "__main__":
    main()
