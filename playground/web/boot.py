"""What every run of the page starts from: the shared judge and store, the learner, the problem."""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.judge import IsolationError, Judge
from playground.problems import Problem, all_problems
from playground.store import DATA_DIR_ENV, DATABASE_URL_ENV, DEFAULT_DATA_DIR, Store, StoreError
from playground.web.anon_cookie import remembered_anon_id
from playground.web.safe_store import SafeStore
from playground.web.session import PageState, account_learner_id, learner_from_query, load_source, problem_from_query


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
    anon_restored: bool = False  # the anonymous id came back from the cookie written at sign-in or sign-out


def _release(value: object) -> None:
    # Clearing the cache (or shutting down) stops the judge's workers and closes the database.
    resource = value[0] if isinstance(value, tuple) else value
    if resource is not None:
        resource.close()


@st.cache_resource(show_spinner="Starting the sandbox…", on_release=_release)
def shared_judge() -> tuple[Judge | None, str | None]:
    """One started judge per server process, or the reason isolation was refused."""
    judge = Judge()
    try:
        judge.start()
    except IsolationError as exc:
        return None, str(exc)
    judge.wait_until_ready(next(iter(all_problems())), timeout=15)
    return judge, None


@st.cache_resource(show_spinner=False, on_release=_release)
def shared_store(data_dir: str, database_url: str = "") -> Store:
    """One open store per database (the URL, else the data folder); failures are raised, so they are retried next run."""
    store, error = Store.open_or_error(None if database_url else data_dir, url=database_url or None)
    if store is None:
        raise StoreError(error)
    return store


def open_store() -> SafeStore:
    """The store wrapped so failures become warnings."""
    try:
        data_dir = os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR
        return SafeStore(shared_store(data_dir, os.environ.get(DATABASE_URL_ENV) or ""))
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
    query_u = st.query_params.get("u")
    anon_id, rewrite = learner_from_query(query_u)
    # Signing in or out lands on the bare address: this browser's own id comes back from its cookie.
    restored = remembered_anon_id(query_u) if rewrite else None
    anon_id = restored or anon_id
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
    return Ctx(judge, store, state, problems[problem_id], anon_id, account_id, account_name, restored is not None)


def show_notices(ctx: Ctx) -> None:
    """The one-time notice (after an import or a claim) and the store's warnings."""
    if ctx.state.notice:
        level, text = ctx.state.notice
        (st.success if level == "success" else st.warning)(text)
        ctx.state.notice = None
    for warning in ctx.store.warnings:
        st.warning(warning, icon=":material/save:")
