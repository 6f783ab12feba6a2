"""The store as the page uses it: every failure becomes a warning sentence, never an exception."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from playground.judge.verdict import Figures
from playground.store import ProgressState, Store, StoreError, StoreRefusal, StoreUnreachable, SubmissionRecord

T = TypeVar("T")
log = logging.getLogger("playground.page")

NOT_OPENED = "The progress database could not be opened, so your work is not being saved (the details are in the server log)."
UNREACHABLE = (
    "The progress database cannot be reached right now, so your work is not being saved; your code is still judged."
    " Try again in a moment (the details are in the server log)."
)
FAILED = (
    "The progress database failed, so your work may not have been saved; try again in a moment, and tell the operator"
    " if it keeps happening (the details are in the server log)."
)


def visitor_sentence(exc: StoreError) -> str:
    """What the visitor is told: a refusal about their own data as it is; a failure of ours in general words."""
    if isinstance(exc, StoreRefusal):
        return str(exc)
    log.warning("Progress store: %s", exc)
    return UNREACHABLE if isinstance(exc, StoreUnreachable) else FAILED


class SafeStore:
    """Wraps a Store (or its absence) so the page keeps judging when saving fails."""

    def __init__(self, store: Store | None, open_error: str | None = None) -> None:
        self.store = store
        self.unreachable = False
        self.warnings: list[str] = []
        if store is None:
            if open_error:
                log.warning("Progress store not open: %s", open_error)
            self.warnings.append(
                NOT_OPENED
                + " Your code is still judged, but nothing is saved until the database is back: what you type stays"
                " on this page (keep this tab open) and is saved then; submissions judged meanwhile are not saved."
            )

    @property
    def available(self) -> bool:
        """True when there is a store to save to."""
        return self.store is not None

    def _call(self, default: T, action: Callable[[Store], T]) -> T:
        if self.store is None or self.unreachable:
            # An unreachable server is asked once per run: each further call would only wait out its timeout.
            return default
        try:
            return action(self.store)
        except StoreError as exc:
            self.unreachable = isinstance(exc, StoreUnreachable)
            sentence = visitor_sentence(exc)
            if sentence not in self.warnings:
                self.warnings.append(sentence)
            return default
        except Exception:  # noqa: BLE001 - a store bug must not take the page down
            log.exception("Progress store failed unexpectedly")
            if FAILED not in self.warnings:
                self.warnings.append(FAILED)
            return default

    def load_draft(self, learner_id: str, problem_id: str) -> tuple[str | None, bool]:
        """The saved draft (None when there is none) and whether loading worked."""
        return self._call((None, False), lambda s: (s.load_draft(learner_id, problem_id), True))

    def save_draft(self, learner_id: str, problem_id: str, code: str) -> bool:
        """Save the draft; True when it was saved."""
        return self._call(False, lambda s: s.save_draft(learner_id, problem_id, code) or True)

    def add_submission(
        self, learner_id: str, problem_id: str, code: str, verdict: dict[str, Any], figures: list[Figures] | None = None
    ) -> int | None:
        """Record a submission with its charts' data (and its code as the draft); its id, or None when not saved."""
        return self._call(None, lambda s: s.add_submission(learner_id, problem_id, code, verdict, figures))

    def submissions(self, learner_id: str, problem_id: str) -> list[SubmissionRecord]:
        """The learner's submissions for the problem, newest first."""
        return self._call([], lambda s: s.submissions(learner_id, problem_id))

    def submission(self, learner_id: str, submission_id: int) -> SubmissionRecord | None:
        """One of the learner's submissions, or None."""
        return self._call(None, lambda s: s.submission(learner_id, submission_id))

    def progress(self, learner_id: str) -> dict[str, ProgressState]:
        """Attempted or solved, by problem id."""
        return self._call({}, lambda s: s.progress(learner_id))

    def export_json(self, learner_id: str) -> str | None:
        """The learner's history as JSON, or None when the store failed."""
        return self._call(None, lambda s: s.export_json(learner_id))

    def import_json(self, learner_id: str, data: bytes) -> tuple[int | None, str | None]:
        """Import an exported history: (submissions added, None) or (None, what went wrong)."""
        if self.store is None:
            return None, "Nothing can be imported because the progress database is not available."
        try:
            return self.store.import_json(learner_id, data), None
        except StoreError as exc:
            return None, visitor_sentence(exc)

    def claim(self, from_learner: str, to_learner: str) -> tuple[int | None, str | None]:
        """Move anonymous work to an account: (rows moved, None) or (None, what went wrong)."""
        if self.store is None:
            return None, "Nothing can be moved because the progress database is not available."
        try:
            return self.store.claim(from_learner, to_learner), None
        except StoreError as exc:
            return None, visitor_sentence(exc)
