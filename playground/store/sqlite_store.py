"""The durable store for drafts, submission history and progress: the one module that owns all SQL."""

from __future__ import annotations

import contextlib
import copy
import enum
import errno
import hashlib
import json
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DATA_DIR_ENV = "PLAYGROUND_DATA_DIR"
DEFAULT_DATA_DIR = "data"
DB_FILENAME = "playground.sqlite3"

MAX_CODE_CHARS = 100_000
MAX_VERDICT_BYTES = 256 * 1024
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_PROBLEM_ID_CHARS = 200
DEFAULT_BUSY_TIMEOUT_MS = 5_000

EXPORT_FORMAT = "flax-nnx-playground-history"
EXPORT_VERSION = 1

_LEARNER_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
_SUMMARY_KEYS = (
    "version",
    "problem",
    "file",
    "mode",
    "status",
    "message",
    "hint",
    "passed",
    "total",
    "elapsed_ms",
)
_NOTE_CHARS = 1_000


class ProgressState(enum.StrEnum):
    """How far a learner has got with one problem."""

    NOT_STARTED = "not_started"
    ATTEMPTED = "attempted"
    SOLVED = "solved"


@dataclass(frozen=True)
class SubmissionRecord:
    """One judged submission as stored."""

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


class StoreError(Exception):
    """A store failure, carrying one human sentence that says what went wrong and what to do."""


def new_learner_id() -> str:
    """A fresh random learner id."""
    return secrets.token_urlsafe(16)


def is_valid_learner_id(value: object) -> bool:
    """True when value is 8 to 64 letters, digits, '-' or '_'."""
    return isinstance(value, str) and _LEARNER_ID.fullmatch(value) is not None


# --- schema -------------------------------------------------------------------------------


def _migrate_to_v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE drafts ("
        " learner_id TEXT NOT NULL,"
        " problem_id TEXT NOT NULL,"
        " code TEXT NOT NULL,"
        " updated_at TEXT NOT NULL,"
        " PRIMARY KEY (learner_id, problem_id))"
    )
    conn.execute(
        "CREATE TABLE submissions ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " learner_id TEXT NOT NULL,"
        " problem_id TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " mode TEXT NOT NULL,"
        " status TEXT NOT NULL,"
        " passed INTEGER NOT NULL,"
        " total INTEGER NOT NULL,"
        " code TEXT NOT NULL,"
        " verdict TEXT NOT NULL)"
    )


def _migrate_to_v2(conn: sqlite3.Connection) -> None:
    conn.execute(
        "ALTER TABLE submissions ADD COLUMN elapsed_ms REAL NOT NULL DEFAULT 0"
    )
    conn.execute(
        "ALTER TABLE submissions ADD COLUMN code_sha256 TEXT NOT NULL DEFAULT ''"
    )
    rows = conn.execute("SELECT id, code, verdict FROM submissions").fetchall()
    for row_id, code, verdict_text in rows:
        conn.execute(
            "UPDATE submissions SET elapsed_ms = ?, code_sha256 = ? WHERE id = ?",
            (_elapsed_from_text(verdict_text), _sha256(code), row_id),
        )
    conn.execute(
        "CREATE INDEX submissions_by_learner ON submissions (learner_id, problem_id, created_at)"
    )
    conn.execute(
        "CREATE INDEX submissions_dedupe ON submissions (learner_id, problem_id, created_at, code_sha256)"
    )


# Index i holds the step from schema version i to version i + 1; never edit a released step.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migrate_to_v1,
    _migrate_to_v2,
]
SCHEMA_VERSION = len(MIGRATIONS)


def _elapsed_from_text(verdict_text: str) -> float:
    try:
        value = json.loads(verdict_text).get("elapsed_ms", 0.0)
        return float(value) if _is_number(value) else 0.0
    except (ValueError, AttributeError):
        return 0.0


# --- the store ----------------------------------------------------------------------------


class Store:
    """Drafts, submissions and progress in one SQLite file, safe to share between threads."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> None:
        """Open (creating and migrating if needed) the database in data_dir."""
        folder = Path(
            data_dir
            if data_dir is not None
            else os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR
        ).absolute()
        self.path = folder / DB_FILENAME
        self._busy_timeout_ms = int(busy_timeout_ms)
        # Streamlit serves every session from its own thread; one lock around one connection keeps
        # the sqlite3 module's objects single-user, and SQLite's own locking covers other processes.
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        with self._guard("open"):
            folder.mkdir(parents=True, exist_ok=True)
        self._refuse_read_only()
        self._conn = self._connect()

    @classmethod
    def open_or_error(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> tuple[Store | None, str | None]:
        """The opened store and None, or None and a sentence for the learner; never raises."""
        try:
            return cls(data_dir, busy_timeout_ms=busy_timeout_ms), None
        except StoreError as exc:
            return None, str(exc)
        except (TypeError, ValueError) as exc:
            return (
                None,
                f"The data folder setting is not a usable path ({exc}); ask the operator to fix {DATA_DIR_ENV}.",
            )

    def close(self) -> None:
        """Close the database connection; later calls raise StoreError."""
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None

    # --- drafts ---

    def save_draft(self, learner_id: str, problem_id: str, code: str) -> None:
        """Save code as the learner's draft for the problem, replacing any earlier draft."""
        _check_learner(learner_id)
        _check_problem(problem_id)
        _check_code(code)
        with self._transaction("save your draft", write=True) as conn:
            _upsert_draft(conn, learner_id, problem_id, code, _now())

    def load_draft(self, learner_id: str, problem_id: str) -> str | None:
        """The learner's saved draft for the problem, or None."""
        _check_learner(learner_id)
        _check_problem(problem_id)
        with self._transaction("load your draft") as conn:
            row = conn.execute(
                "SELECT code FROM drafts WHERE learner_id = ? AND problem_id = ?",
                (learner_id, problem_id),
            ).fetchone()
        return None if row is None else row[0]

    # --- submissions ---

    def add_submission(
        self, learner_id: str, problem_id: str, code: str, verdict: dict
    ) -> int:
        """Record a judged submission (and save its code as the draft); returns its id."""
        _check_learner(learner_id)
        _check_problem(problem_id)
        _check_code(code)
        mode, status, passed, total, elapsed_ms = _verdict_fields(verdict)
        verdict_text = _capped_verdict_text(verdict)
        now = _now()
        with self._transaction("save your submission", write=True) as conn:
            new_id = _insert_submission(
                conn,
                learner_id,
                problem_id,
                now,
                mode,
                status,
                passed,
                total,
                elapsed_ms,
                code,
                verdict_text,
            )
            _upsert_draft(conn, learner_id, problem_id, code, now)
        return new_id

    def submissions(
        self, learner_id: str, problem_id: str | None = None, limit: int = 100
    ) -> list[SubmissionRecord]:
        """The learner's submissions, newest first, optionally for one problem only."""
        _check_learner(learner_id)
        if problem_id is not None:
            _check_problem(problem_id)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise StoreError(
                "The history limit must be a positive whole number; this is a bug in the page."
            )
        sql = f"SELECT {_RECORD_COLUMNS} FROM submissions WHERE learner_id = ?"
        params: list[Any] = [learner_id]
        if problem_id is not None:
            sql += " AND problem_id = ?"
            params.append(problem_id)
        sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
        params.append(limit)
        with self._transaction("load your history") as conn:
            rows = conn.execute(sql, params).fetchall()
        return [_record(row) for row in rows]

    def submission(
        self, learner_id: str, submission_id: int
    ) -> SubmissionRecord | None:
        """One of the learner's submissions by id, or None if it is missing or someone else's."""
        _check_learner(learner_id)
        if isinstance(submission_id, bool) or not isinstance(submission_id, int):
            return None
        with self._transaction("load that submission") as conn:
            row = conn.execute(
                f"SELECT {_RECORD_COLUMNS} FROM submissions WHERE learner_id = ? AND id = ?",
                (learner_id, submission_id),
            ).fetchone()
        return None if row is None else _record(row)

    def progress(self, learner_id: str) -> dict[str, ProgressState]:
        """Each problem the learner has touched, mapped to attempted or solved."""
        _check_learner(learner_id)
        with self._transaction("load your progress") as conn:
            solved_rows = conn.execute(
                "SELECT problem_id, MAX(status = 'accepted' AND mode = 'submit') FROM submissions"
                " WHERE learner_id = ? GROUP BY problem_id",
                (learner_id,),
            ).fetchall()
            draft_rows = conn.execute(
                "SELECT problem_id FROM drafts WHERE learner_id = ?", (learner_id,)
            ).fetchall()
        states = {pid: ProgressState.ATTEMPTED for (pid,) in draft_rows}
        for pid, solved in solved_rows:
            states[pid] = ProgressState.SOLVED if solved else ProgressState.ATTEMPTED
        return states

    # --- export, import, claim ---

    def export_json(self, learner_id: str) -> str:
        """The learner's drafts and submissions as a JSON document that import_json accepts."""
        _check_learner(learner_id)
        with self._transaction("export your history") as conn:
            drafts = conn.execute(
                "SELECT problem_id, code, updated_at FROM drafts WHERE learner_id = ? ORDER BY problem_id",
                (learner_id,),
            ).fetchall()
            subs = conn.execute(
                f"SELECT {_RECORD_COLUMNS} FROM submissions WHERE learner_id = ? ORDER BY created_at, id",
                (learner_id,),
            ).fetchall()
        document = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": _now(),
            "drafts": [
                {"problem_id": p, "code": c, "updated_at": u} for p, c, u in drafts
            ],
            "submissions": [_export_submission(_record(row)) for row in subs],
        }
        return json.dumps(document, ensure_ascii=False, indent=1)

    def import_json(self, learner_id: str, text: str | bytes) -> int:
        """Add an exported history to the learner, skipping rows already present; returns submissions added."""
        _check_learner(learner_id)
        drafts, subs = _parse_import(text)
        added = 0
        with self._transaction("import your history", write=True) as conn:
            for d in drafts:
                conn.execute(
                    "INSERT OR IGNORE INTO drafts (learner_id, problem_id, code, updated_at) VALUES (?, ?, ?, ?)",
                    (learner_id, d["problem_id"], d["code"], d["updated_at"]),
                )
            for s in subs:
                seen = conn.execute(
                    "SELECT 1 FROM submissions WHERE learner_id = ? AND problem_id = ? AND created_at = ?"
                    " AND code_sha256 = ?",
                    (learner_id, s["problem_id"], s["created_at"], _sha256(s["code"])),
                ).fetchone()
                if seen is None:
                    _insert_submission(
                        conn,
                        learner_id,
                        s["problem_id"],
                        s["created_at"],
                        s["mode"],
                        s["status"],
                        s["passed"],
                        s["total"],
                        s["elapsed_ms"],
                        s["code"],
                        _capped_verdict_text(s["verdict"]),
                    )
                    added += 1
        return added

    def claim(self, from_learner: str, to_learner: str) -> int:
        """Move an anonymous learner's submissions, and drafts the account lacks, to the account; returns rows moved."""
        _check_learner(from_learner)
        _check_learner(to_learner)
        if from_learner == to_learner:
            return 0
        with self._transaction("move your work to your account", write=True) as conn:
            drafts = conn.execute(
                "UPDATE drafts SET learner_id = ? WHERE learner_id = ? AND problem_id NOT IN"
                " (SELECT problem_id FROM drafts WHERE learner_id = ?)",
                (to_learner, from_learner, to_learner),
            ).rowcount
            subs = conn.execute(
                "UPDATE submissions SET learner_id = ? WHERE learner_id = ?",
                (to_learner, from_learner),
            ).rowcount
        return drafts + subs

    # --- plumbing ---

    def _refuse_read_only(self) -> None:
        folder = self.path.parent
        if not os.access(folder, os.W_OK) or (
            self.path.exists() and not os.access(self.path, os.W_OK)
        ):
            raise StoreError(_read_only_message(self.path))

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = None
        with self._guard("open"):
            try:
                conn = sqlite3.connect(
                    self.path,
                    timeout=self._busy_timeout_ms / 1000,
                    isolation_level=None,
                    check_same_thread=False,
                )
                conn.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
                # Read the schema before anything writes, so a file that is not a database is left untouched.
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                conn.execute("PRAGMA journal_mode = WAL").fetchone()
                self._migrate(conn)
            except BaseException:
                if conn is not None:
                    conn.close()
                raise
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        while True:
            with _begun(conn, write=True):
                # Re-read inside the write lock: another process may have migrated meanwhile.
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"The progress database at {self.path} was written by a newer version of the playground"
                        f" (schema {version}, this one knows {SCHEMA_VERSION}); update the playground before using it."
                    )
                if version == SCHEMA_VERSION:
                    return
                MIGRATIONS[version](conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")

    @contextlib.contextmanager
    def _transaction(
        self, action: str, *, write: bool = False
    ) -> Iterator[sqlite3.Connection]:
        with self._lock, self._guard(action):
            if self._conn is None:
                raise StoreError(
                    f"The progress store is closed, so it could not {action}; reload the page."
                )
            with _begun(self._conn, write=write):
                yield self._conn

    @contextlib.contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(_sqlite_message(exc, self.path, action)) from exc
        except OSError as exc:
            raise StoreError(_os_message(exc, self.path, action)) from exc


@contextlib.contextmanager
def _begun(conn: sqlite3.Connection, *, write: bool) -> Iterator[None]:
    # IMMEDIATE takes the write lock up front, so a writer never deadlocks upgrading a read lock.
    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


# --- rows ---------------------------------------------------------------------------------

_RECORD_COLUMNS = "id, learner_id, problem_id, created_at, mode, status, passed, total, elapsed_ms, code, verdict"


def _record(row: tuple) -> SubmissionRecord:
    *head, verdict_text = row
    try:
        verdict = json.loads(verdict_text)
    except ValueError:
        verdict = {"note": "The stored verdict could not be read."}
    return SubmissionRecord(*head, verdict=verdict if isinstance(verdict, dict) else {})


def _upsert_draft(
    conn: sqlite3.Connection, learner_id: str, problem_id: str, code: str, now: str
) -> None:
    conn.execute(
        "INSERT INTO drafts (learner_id, problem_id, code, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (learner_id, problem_id) DO UPDATE SET code = excluded.code, updated_at = excluded.updated_at",
        (learner_id, problem_id, code, now),
    )


def _insert_submission(
    conn: sqlite3.Connection,
    learner_id: str,
    problem_id: str,
    created_at: str,
    mode: str,
    status: str,
    passed: int,
    total: int,
    elapsed_ms: float,
    code: str,
    verdict_text: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO submissions (learner_id, problem_id, created_at, mode, status, passed, total, elapsed_ms,"
        " code, code_sha256, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            learner_id,
            problem_id,
            created_at,
            mode,
            status,
            passed,
            total,
            elapsed_ms,
            code,
            _sha256(code),
            verdict_text,
        ),
    )
    return int(cursor.lastrowid)


def _export_submission(record: SubmissionRecord) -> dict[str, Any]:
    return {
        "problem_id": record.problem_id,
        "created_at": record.created_at,
        "mode": record.mode,
        "status": record.status,
        "passed": record.passed,
        "total": record.total,
        "elapsed_ms": record.elapsed_ms,
        "code": record.code,
        "verdict": record.verdict,
    }


# --- validation ---------------------------------------------------------------------------


def _check_learner(learner_id: object) -> None:
    if not is_valid_learner_id(learner_id):
        raise StoreError(
            "The learner id is not valid (it must be 8 to 64 letters, digits, '-' or '_'); reload the page to get a new one."
        )


def _check_problem(problem_id: object) -> None:
    if not _is_problem_id(problem_id):
        raise StoreError(
            f"The problem id must be 1 to {MAX_PROBLEM_ID_CHARS} printable characters; this is a bug in the page."
        )


def _is_problem_id(value: object) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_PROBLEM_ID_CHARS
        and value.isprintable()
    )


def _check_code(code: object) -> None:
    if not isinstance(code, str):
        raise StoreError("Only text can be saved as code; this is a bug in the page.")
    if len(code) > MAX_CODE_CHARS:
        raise StoreError(
            f"Your code is {len(code):,} characters long, over the {MAX_CODE_CHARS:,}-character limit for saving;"
            " shorten it and save again."
        )


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _verdict_fields(verdict: object) -> tuple[str, str, int, int, float]:
    if not isinstance(verdict, dict):
        raise StoreError(
            "The verdict to save is not a JSON object; this is a bug in the page."
        )
    mode, status = verdict.get("mode"), verdict.get("status")
    passed, total = verdict.get("passed", 0), verdict.get("total", 0)
    elapsed = verdict.get("elapsed_ms", 0.0)
    if not (isinstance(mode, str) and mode and isinstance(status, str) and status):
        raise StoreError(
            "The verdict to save has no mode or status; this is a bug in the page."
        )
    if not (_is_count(passed) and _is_count(total) and _is_number(elapsed)):
        raise StoreError(
            "The verdict to save has a malformed passed, total or elapsed_ms; this is a bug in the page."
        )
    return mode, status, passed, total, float(elapsed)


# --- verdict cap --------------------------------------------------------------------------


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _fits(text: str) -> bool:
    return len(text.encode("utf-8")) <= MAX_VERDICT_BYTES


def _capped_verdict_text(verdict: dict) -> str:
    """The verdict as JSON no larger than MAX_VERDICT_BYTES, dropping the bulkiest parts first."""
    text = _dumps(verdict)
    if _fits(text):
        return text
    slim = copy.deepcopy(verdict)
    stdout = slim.get("stdout")
    if isinstance(stdout, str):
        slim["stdout"] = (
            f"[{len(stdout):,} characters of output were dropped to keep the history small]"
        )
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
        slim["dropped"] = (
            "Test inputs, expected and actual values were dropped to keep the history small."
        )
    text = _dumps(slim)
    if _fits(text):
        return text
    # Last resort: keep only the short summary fields, each clipped, which always fits.
    summary = {k: _clip(slim[k]) for k in _SUMMARY_KEYS if k in slim}
    summary["dropped"] = (
        "The verdict was too large to keep; only its summary was saved."
    )
    return _dumps(summary)


def _clip(value: Any) -> Any:
    if isinstance(value, str):
        return value[:_NOTE_CHARS]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return _dumps(value)[:_NOTE_CHARS]


# --- import -------------------------------------------------------------------------------

_AGAIN = "export it from the playground again and import that file"


def _parse_import(text: object) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise StoreError(f"The import file is not UTF-8 text; {_AGAIN}.") from exc
    if not isinstance(text, str):
        raise StoreError(
            "The import must be the text of an exported history file; this is a bug in the page."
        )
    if len(text) > MAX_IMPORT_BYTES or len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        raise StoreError(
            f"The import file is larger than the {MAX_IMPORT_BYTES // (1024 * 1024)} MB limit;"
            " import a smaller export instead."
        )
    try:
        document = json.loads(text)
    except ValueError as exc:
        where = (
            f" (line {exc.lineno}, column {exc.colno})"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise StoreError(
            f"The import file is not valid JSON{where}; {_AGAIN}."
        ) from exc
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise StoreError(
            f"The import file is not a playground history export; {_AGAIN}."
        )
    if document.get("version") != EXPORT_VERSION:
        raise StoreError(
            f"The import file has history format version {document.get('version')!r}, but this playground reads"
            f" version {EXPORT_VERSION}; {_AGAIN}."
        )
    drafts, subs = document.get("drafts"), document.get("submissions")
    if not isinstance(drafts, list) or not isinstance(subs, list):
        raise StoreError(
            f"The import file has no drafts or submissions list; {_AGAIN}."
        )
    return [_parse_draft(i, d) for i, d in enumerate(drafts, 1)], [
        _parse_sub(i, s) for i, s in enumerate(subs, 1)
    ]


def _parse_draft(index: int, item: object) -> dict[str, Any]:
    where = f"Draft {index} in the import file"
    if not isinstance(item, dict):
        raise StoreError(f"{where} is not an object; {_AGAIN}.")
    _require(where, "problem_id", _is_problem_id(item.get("problem_id")))
    _require(where, "code", isinstance(item.get("code"), str))
    _require_code_size(where, item["code"])
    return {
        "problem_id": item["problem_id"],
        "code": item["code"],
        "updated_at": _parse_time(where, item, "updated_at"),
    }


def _parse_sub(index: int, item: object) -> dict[str, Any]:
    where = f"Submission {index} in the import file"
    if not isinstance(item, dict):
        raise StoreError(f"{where} is not an object; {_AGAIN}.")
    _require(where, "problem_id", _is_problem_id(item.get("problem_id")))
    for key in ("mode", "status"):
        _require(where, key, isinstance(item.get(key), str) and bool(item[key]))
    for key in ("passed", "total"):
        _require(where, key, _is_count(item.get(key)))
    _require(where, "elapsed_ms", _is_number(item.get("elapsed_ms")))
    _require(where, "code", isinstance(item.get("code"), str))
    _require(where, "verdict", isinstance(item.get("verdict"), dict))
    _require_code_size(where, item["code"])
    parsed = {
        key: item[key]
        for key in (
            "problem_id",
            "mode",
            "status",
            "passed",
            "total",
            "code",
            "verdict",
        )
    }
    parsed["elapsed_ms"] = float(item["elapsed_ms"])
    parsed["created_at"] = _parse_time(where, item, "created_at")
    return parsed


def _require(where: str, key: str, ok: bool) -> None:
    if not ok:
        raise StoreError(f'{where} has a missing or malformed "{key}"; {_AGAIN}.')


def _require_code_size(where: str, code: str) -> None:
    if len(code) > MAX_CODE_CHARS:
        raise StoreError(
            f"{where} has code over the {MAX_CODE_CHARS:,}-character limit; remove it from the file."
        )


def _parse_time(where: str, item: dict, key: str) -> str:
    value = item.get(key)
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise StoreError(
            f'{where} has a missing or malformed "{key}" (it must be an ISO-8601 time with a zone); {_AGAIN}.'
        )
    return _iso(moment)


# --- time, hashing, messages --------------------------------------------------------------


def _iso(moment: datetime) -> str:
    # One fixed shape, so ISO strings sort in time order.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _now() -> str:
    return _iso(datetime.now(UTC))


def _sha256(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def _read_only_message(path: Path) -> str:
    return (
        f"The progress database at {path} is read-only, so your work is not being saved;"
        " ask the operator to make the folder writable."
    )


def _sqlite_message(exc: sqlite3.Error, path: Path, action: str) -> str:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return (
            f"The progress database at {path} is busy (another program is holding a lock on it), so it could not"
            f" {action}; wait a moment and try again."
        )
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM) or (
        primary == sqlite3.SQLITE_CANTOPEN and not _writable(path)
    ):
        return _read_only_message(path)
    if primary in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return (
            f"The file at {path} is not a readable progress database (it may be damaged), so nothing can be saved;"
            " it has been left untouched, so ask the operator to move it aside and restart the playground."
        )
    if primary == sqlite3.SQLITE_FULL:
        return f"The disk holding {path} is full, so your work was not saved; ask the operator to free some space."
    if primary == sqlite3.SQLITE_CANTOPEN:
        return (
            f"The progress database at {path} cannot be opened, so your work is not being saved;"
            " ask the operator to check that its folder exists and is writable."
        )
    if primary == sqlite3.SQLITE_IOERR:
        return (
            f"A disk error stopped the playground from being able to {action} in {path};"
            " try again, and ask the operator to check the disk if it keeps happening."
        )
    return (
        f"The progress database at {path} failed ({exc}) while trying to {action};"
        " try again, and tell the operator if it keeps happening."
    )


def _os_message(exc: OSError, path: Path, action: str) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _read_only_message(path)
    if exc.errno == errno.ENOSPC:
        return f"The disk holding {path} is full, so your work was not saved; ask the operator to free some space."
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return (
            f"The data folder {path.parent} cannot be created because a file is in the way, so your work is not"
            f" being saved; ask the operator to point {DATA_DIR_ENV} at a folder."
        )
    return (
        f"The playground could not {action} its data folder {path.parent} ({exc.strerror or exc});"
        " ask the operator to check that the folder exists and is writable."
    )


def _writable(path: Path) -> bool:
    target = path if path.exists() else path.parent
    return os.access(target, os.W_OK)
