"""The page's state and decisions that need no Streamlit: who the learner is, what to judge, when not to."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from playground.judge.verdict import Figures
from playground.web.format import escape_markdown
from playground.web.identity import Owner, is_generated_learner_id, page_secret
from playground.web.limits import too_large
from playground.web.safe_store import SafeStore

DOUBLE_CLICK_SECONDS = 1.0
ACCOUNT_PREFIX = "acct-"


@dataclass
class Result:
    """The last verdict the page judged for one problem, with what produced it."""

    request: str
    mode: str
    source: str
    verdict: dict[str, Any]
    figures: list[Figures]
    finished: float


@dataclass
class PageState:
    """Everything one browser session remembers between reruns, for one learner."""

    learner_id: str
    token: str = field(default_factory=lambda: secrets.token_hex(4))
    sources: dict[str, str] = field(default_factory=dict)
    saved: dict[str, str] = field(default_factory=dict)
    unloaded: set[str] = field(default_factory=set)
    editor_version: int = 0
    seen_editor_event: str = ""
    results: dict[str, Result] = field(default_factory=dict)
    judging: str | None = None
    run_asked: bool = False  # Ctrl+Enter in the editor asked for a Run (taken by the next whole-page run)
    hints_shown: dict[str, int] = field(default_factory=dict)
    solution_shown: set[str] = field(default_factory=set)
    submitted: set[str] = field(default_factory=set)
    confirm: str | None = None
    shown_problem: str | None = None
    notice: tuple[str, str] | None = None  # (level, text) shown once at the top: "success" or "warning"
    refused: str | None = None  # why the code sent in this run was not taken (shown by the editor; nothing is judged)

    def set_source(self, problem_id: str, source: str) -> None:
        """Replace the code from outside the editor (reset, old submission), so the editor is rebuilt."""
        self.sources[problem_id] = source
        self.editor_version += 1

    def needs_saving(self, problem_id: str) -> bool:
        """True when the code changed since it was last saved and its saved draft was read first."""
        if problem_id in self.unloaded:
            return False
        return problem_id in self.sources and self.sources[problem_id] != self.saved.get(problem_id)

    def editor_key(self, problem_id: str) -> str:
        """The code editor's widget key: a new one whenever the code is replaced from outside."""
        return f"editor-{problem_id}-{self.token}-{self.editor_version}"


def take_editor_event(state: PageState, problem_id: str, event: Any) -> str | None:
    """Apply a new event from the code editor to the problem's code; its type ("change", "blur", "submit") or None."""
    if not isinstance(event, dict) or not event.get("id") or event["id"] == state.seen_editor_event:
        return None
    state.seen_editor_event = str(event["id"])[:100]
    kind = event.get("type")
    if isinstance(event.get("text"), str) and kind in ("change", "blur", "submit"):
        if not keep_code(state, problem_id, event["text"]):
            return None
    return kind if isinstance(kind, str) else None


def keep_code(state: PageState, problem_id: str, text: str, limit: int | None = None) -> bool:
    """Take text as the problem's code, unless it is over the size limit (then nothing parses or stores it)."""
    limit = limit or code_limit()
    size = too_large(text, limit)
    if size is not None:
        state.refused = (
            f"Your code is {size:,} bytes, over the {limit:,}-byte limit, so it was not kept, saved or run: remove"
            " pasted output or unused code (a solution fits in a few dozen lines)."
        )
        return False
    state.sources[problem_id] = text
    return True


def code_limit() -> int:
    """The largest code (UTF-8 bytes) the page keeps, saves or judges."""
    from playground.web.services import services

    return services().limits.code_bytes


def load_source(state: PageState, store: SafeStore, problem_id: str, starter: str) -> None:
    """Fill the problem's code from the saved draft or the starter; retry a failed load while unedited."""
    if problem_id in state.sources and problem_id not in state.unloaded:
        return
    if problem_id in state.unloaded and state.sources.get(problem_id, starter) != starter:
        _adopt_typed_code(state, store, problem_id)
        return
    draft, ok = store.load_draft(state.learner_id, problem_id)
    if not ok:
        # Never save over a draft we could not read: autosave waits until a load succeeds.
        state.unloaded.add(problem_id)
        state.sources.setdefault(problem_id, starter)
        state.saved[problem_id] = starter
        return
    state.unloaded.discard(problem_id)
    code = starter if draft is None else draft
    if state.sources.get(problem_id) != code:
        state.set_source(problem_id, code)
    state.saved[problem_id] = code


def _adopt_typed_code(state: PageState, store: SafeStore, problem_id: str) -> None:
    # Code typed while the store was away stays in the editor; once the store answers again, autosave saves it.
    draft, ok = store.load_draft(state.learner_id, problem_id)
    if not ok:
        return
    state.unloaded.discard(problem_id)
    state.saved[problem_id] = draft if draft is not None else ""
    if draft is not None and draft != state.sources[problem_id]:
        state.notice = (
            "warning",
            "The progress database is back. It held another saved draft of this problem, which the code you typed"
            " meanwhile now replaces; your submitted code is still in the history.",
        )


def forget_unedited(state: PageState) -> None:
    """Drop code the learner has not changed since loading, so the next run reloads it (after an import)."""
    for problem_id in [p for p, code in state.sources.items() if code == state.saved.get(p)]:
        del state.sources[problem_id]


def learner_from_query(value: Any) -> tuple[str, bool]:
    """The learner id from the URL's u when it has the generated format, or a fresh one; True to rewrite the URL.

    Whose id it is, is checked apart from this (boot.anonymous_learner). An account's id never has the
    generated format: an account's work is reached by signing in, never by its id in an address.
    """
    if is_generated_learner_id(value):
        return str(value), False
    return Owner(None, page_secret()).new_id(), True


def problem_from_query(value: Any, problem_ids: list[str]) -> tuple[str, str | None]:
    """The problem id from the URL's problem, or the first problem and a note when it is unknown."""
    if isinstance(value, str) and value in problem_ids:
        return value, None
    note = None
    if value:
        note = f"There is no problem called “{escape_markdown(str(value)[:80])}”; showing the first problem instead."
    return problem_ids[0], note


def account_learner_id(user: Mapping[str, Any] | None) -> str | None:
    """A stable learner id for a signed-in account (from its issuer and subject or email), or None."""
    if not user or not user.get("is_logged_in"):
        return None
    subject = user.get("sub") or user.get("email")
    if not subject:
        return None
    digest = hashlib.sha256(f"{user.get('iss', '')}|{subject}".encode()).hexdigest()[:40]
    return ACCOUNT_PREFIX + digest


def request_key(problem_id: str, mode: str, source: str, custom: dict[str, Any] | None) -> str:
    """A fingerprint of one judging request: same problem, mode, code and custom input."""
    text = json.dumps([problem_id, mode, source, custom], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8", errors="replace")).hexdigest()


def is_repeat(state: PageState, problem_id: str, key: str, now: float | None = None) -> bool:
    """True when this request is a double click on one already judged (or being judged)."""
    result = state.results.get(problem_id)
    if result is None or result.request != key:
        return False
    now = time.monotonic() if now is None else now
    # An unfinished marker means the click arrived while the first run was judging.
    return state.judging == key or now - result.finished < DOUBLE_CLICK_SECONDS


def next_hint_count(shown: int, total: int) -> int:
    """How many hints are shown after asking for one more."""
    return min(shown + 1, total)


def solution_unlocked(state: PageState, problem_id: str, stored_submissions: int) -> bool:
    """The reference solution may be shown once the learner has submitted at least once (saved or not)."""
    return stored_submissions >= 1 or problem_id in state.submitted
