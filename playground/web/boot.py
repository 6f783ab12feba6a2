"""What every run of the page starts from: the server's judge and store, the learner, the problem."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.judge.interface import JudgeService
from playground.problems import Problem, all_problems
from playground.web.anon_cookie import remembered_anon_id
from playground.web.identity import BROWSER_COOKIE, Owner, browser_key, page_secret
from playground.web.safe_store import SafeStore
from playground.web.services import Services, server_store, services, wait_for_judge
from playground.web.session import PageState, account_learner_id, load_source, problem_from_query

log = logging.getLogger("playground.page")

# How long a page opened while the server is still starting waits for the sandbox before it is drawn.
JUDGE_WAIT_S = 30.0
SESSION_KEY = "playground_session_key"


@dataclass
class Ctx:
    """What every part of the page needs for this run."""

    judge: JudgeService | None
    store: SafeStore
    state: PageState
    problem: Problem
    anon_id: str
    account_id: str | None
    account_name: str
    anon_restored: bool = False  # the anonymous id came back from the cookie written at sign-in or sign-out
    services: Services | None = None


def shared_judge() -> tuple[JudgeService | None, str | None]:
    """The server's judge (waiting while it starts), or None and why it is not there."""
    current = services()
    judge = wait_for_judge(current, JUDGE_WAIT_S)
    if judge is None:
        return None, current.judge_error or "the sandbox is still starting: reload the page in a moment"
    return judge, None


def open_store(current: Services) -> SafeStore:
    """The server's store wrapped so failures become warnings."""
    store, error = server_store(current)
    return SafeStore(store, error)


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
    return account_learner_id(user), str(user.get("name") or user.get("email") or "your account")[:100]


def page_state(learner_id: str) -> PageState:
    """This session's state for the learner, new when the learner changes."""
    state = st.session_state.get("page")
    if not isinstance(state, PageState) or state.learner_id != learner_id:
        state = PageState(learner_id)
        st.session_state["page"] = state
    return state


def has_client() -> bool:
    """True when a browser (or any websocket client) drives this run; False in-process.

    Streamlit's AppTest runs the page in-process on a stand-in for the server's Runtime (a mock of it),
    where there is no connection and no cookie at all; a visitor always comes through the real one.
    """
    from streamlit import runtime
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not runtime.exists() or type(runtime.get_instance()) is not Runtime:
        return False
    return runtime.get_instance().get_client(ctx.session_id) is not None


def this_owner() -> Owner:
    """The browser's key from its cookie; a key of this session's own for a client without one."""
    secret = page_secret()
    if not has_client():
        return Owner(None, secret)
    key = browser_key(st.context.cookies.get(BROWSER_COOKIE), secret)
    if key is None:
        key = st.session_state.setdefault(SESSION_KEY, Owner(None, secret).new_id())
    return Owner(key, secret)


def anonymous_learner(owner: Owner, notices: DeltaGenerator) -> tuple[str, bool]:
    """This browser's learner id from the address (or the sign-in cookie), else a fresh one in the address."""
    query_u = st.query_params.get("u")
    if owner.owns(query_u):
        return str(query_u), False
    restored = remembered_anon_id(query_u) if not query_u else None
    if restored is not None and owner.owns(restored):
        st.query_params["u"] = restored
        return restored, True
    learner_id = owner.new_id()
    st.query_params["u"] = learner_id
    if query_u:
        log.info("A page was opened on a learner id this browser was not given; it got a fresh one")
        notices.warning(
            "The address you opened holds a learner id that belongs to another browser, so its work is not shown "
            "here: this page now has a fresh id of your own (bookmark it). To carry your work between browsers, "
            "sign in, or download your history there and import it here.",
            icon=":material/person_off:",
        )
    return learner_id, False


def boot(notices: DeltaGenerator) -> Ctx:
    """Judge, store, learner and problem for this run; fixes the URL when u or problem is missing."""
    current = services()
    if not current.judge_started.is_set():
        with st.spinner("Starting the sandbox…"):
            judge, judge_error = shared_judge()
    else:
        judge, judge_error = shared_judge()
    if judge_error:
        notices.error(f"Code cannot be run right now: {judge_error}.", icon=":material/block:")
    anon_id, restored = anonymous_learner(this_owner(), notices)
    account_id, account_name = signed_in_account()
    problems = all_problems()
    problem_id, note = problem_from_query(st.query_params.get("problem"), list(problems))
    if st.query_params.get("problem") != problem_id:
        st.query_params["problem"] = problem_id
    if note:
        notices.info(note)
    state = page_state(account_id or anon_id)
    store = open_store(current)

    load_source(state, store, problem_id, problems[problem_id].starter)
    return Ctx(judge, store, state, problems[problem_id], anon_id, account_id, account_name, restored, current)


def show_notices(ctx: Ctx) -> None:
    """The one-time notice (after an import or a claim) and the store's warnings."""
    if ctx.state.notice:
        level, text = ctx.state.notice
        (st.success if level == "success" else st.warning)(text)
        ctx.state.notice = None
    for warning in ctx.store.warnings:
        st.warning(warning, icon=":material/save:")
