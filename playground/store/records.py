"""What the store keeps and hands back: learner ids, records, progress states, and the checks on them."""

from __future__ import annotations

import copy
import enum
import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from playground.judge.verdict import Figures
from playground.store.errors import StoreError, StoreRefusal

MAX_CODE_CHARS = 100_000
MAX_VERDICT_BYTES = 256 * 1024
MAX_PROBLEM_ID_CHARS = 200

_LEARNER_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
_SUMMARY_KEYS = ("version", "problem", "file", "mode", "status", "message", "hint", "passed", "total", "elapsed_ms")
_NOTE_CHARS = 1_000


class ProgressState(enum.StrEnum):
    """How far a learner has got with one problem."""

    NOT_STARTED = "not_started"
    ATTEMPTED = "attempted"
    SOLVED = "solved"


@dataclass(frozen=True)
class SubmissionRecord:
    """One judged submission as stored, with the chart data kept beside it (empty for old rows)."""

    id: int
    learner_id: str
    problem_id: str
    created_at: str
    mode: str
    status: str
    passed: int
    total: int
    elapsed_ms: float
    code: str
    verdict: dict
    figures: list[Figures] = field(default_factory=list)
    unreadable: bool = False  # the stored row is not one the page can show: listed as unreadable, never opened


def new_learner_id() -> str:
    """A fresh random learner id."""
    return secrets.token_urlsafe(16)


def is_valid_learner_id(value: object) -> bool:
    """True when value is 8 to 64 letters, digits, '-' or '_'."""
    return isinstance(value, str) and _LEARNER_ID.fullmatch(value) is not None


def check_learner(learner_id: object) -> None:
    """Raise StoreError unless learner_id is a valid learner id."""
    if not is_valid_learner_id(learner_id):
        raise StoreRefusal(
            "The learner id is not valid (it must be 8 to 64 letters, digits, '-' or '_');"
            " reload the page to get a new one."
        )


def is_problem_id(value: object) -> bool:
    """True when value is 1 to MAX_PROBLEM_ID_CHARS printable characters."""
    return isinstance(value, str) and 0 < len(value) <= MAX_PROBLEM_ID_CHARS and value.isprintable()


def check_problem(problem_id: object) -> None:
    """Raise StoreError unless problem_id is a usable problem id."""
    if not is_problem_id(problem_id):
        raise StoreError(
            f"The problem id must be 1 to {MAX_PROBLEM_ID_CHARS} printable characters; this is a bug in the page."
        )


def check_code(code: object) -> None:
    """Raise StoreError unless code is text every database can keep, within the size cap."""
    if not isinstance(code, str):
        raise StoreRefusal("Only text can be saved as code; this is a bug in the page.")
    if len(code) > MAX_CODE_CHARS:
        raise StoreRefusal(
            f"Your code is {len(code):,} characters long, over the {MAX_CODE_CHARS:,}-character limit for saving;"
            " shorten it and save again."
        )
    if "\x00" in code:
        # PostgreSQL text cannot hold NUL; refusing it everywhere keeps both databases alike.
        raise StoreRefusal("Your code contains a NUL character (\\x00), which cannot be saved; remove it and save again.")


def check_limit(limit: object) -> None:
    """Raise StoreError unless limit is a positive whole number."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise StoreError("The history limit must be a positive whole number; this is a bug in the page.")


def is_number(value: object) -> bool:
    """True for an int or float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_count(value: object) -> bool:
    """True for a non-negative int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def verdict_fields(verdict: object) -> tuple[str, str, int, int, float]:
    """The mode, status, passed, total and elapsed_ms of a verdict dict; StoreError when malformed."""
    if not isinstance(verdict, dict):
        raise StoreError("The verdict to save is not a JSON object; this is a bug in the page.")
    mode, status = verdict.get("mode"), verdict.get("status")
    passed, total = verdict.get("passed", 0), verdict.get("total", 0)
    elapsed = verdict.get("elapsed_ms", 0.0)
    if not (isinstance(mode, str) and mode and isinstance(status, str) and status):
        raise StoreError("The verdict to save has no mode or status; this is a bug in the page.")
    if not (is_count(passed) and is_count(total) and is_number(elapsed)):
        raise StoreError("The verdict to save has a malformed passed, total or elapsed_ms; this is a bug in the page.")
    return mode, status, passed, total, float(elapsed)


def elapsed_from_text(verdict_text: str) -> float:
    """The elapsed_ms inside a stored verdict's JSON, or 0.0 when it has none."""
    try:
        value = json.loads(verdict_text).get("elapsed_ms", 0.0)
        return float(value) if is_number(value) else 0.0
    except (ValueError, AttributeError, TypeError):
        return 0.0


def verdict_from_text(verdict_text: str) -> dict:
    """A stored verdict's JSON as a dict, or a note when it cannot be read."""
    try:
        verdict = json.loads(verdict_text)
    except (ValueError, TypeError):
        return {"note": "The stored verdict could not be read."}
    return verdict if isinstance(verdict, dict) else {}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _fits(text: str) -> bool:
    return len(text.encode("utf-8")) <= MAX_VERDICT_BYTES


def capped_verdict_text(verdict: dict) -> str:
    """The verdict as JSON no larger than MAX_VERDICT_BYTES, dropping the bulkiest parts first."""
    text = _dumps(verdict)
    if _fits(text):
        return text
    slim = copy.deepcopy(verdict)
    stdout = slim.get("stdout")
    if isinstance(stdout, str):
        slim["stdout"] = f"[{len(stdout):,} characters of output were dropped to keep the history small]"
    text = _dumps(slim)
    if _fits(text):
        return text
    tests = slim.get("tests")
    if isinstance(tests, list):
        for test in tests:
            if isinstance(test, dict):
                for key in ("input", "expected", "got"):
                    if key in test:
                        test[key] = None
        slim["dropped"] = "Test inputs, expected and actual values were dropped to keep the history small."
    text = _dumps(slim)
    if _fits(text):
        return text
    # Last resort: keep only the short summary fields, each clipped, which always fits.
    summary = {k: _clip(slim[k]) for k in _SUMMARY_KEYS if k in slim}
    summary["dropped"] = "The verdict was too large to keep; only its summary was saved."
    return _dumps(summary)


def _clip(value: Any) -> Any:
    if isinstance(value, str):
        return value[:_NOTE_CHARS]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return _dumps(value)[:_NOTE_CHARS]


def iso(moment: datetime) -> str:
    """A time as UTC ISO-8601 with microseconds: one fixed shape, so the strings sort in time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def now() -> str:
    """The current time as iso() writes it."""
    return iso(datetime.now(UTC))


def sha256(code: str) -> str:
    """The hex SHA-256 of code's UTF-8 bytes, used to spot an imported submission already present."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()
