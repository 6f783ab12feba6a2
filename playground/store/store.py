"""The Store: drafts, submissions and progress in one database (SQLite or PostgreSQL), safe to share between threads."""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, and_, bindparam, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from playground.judge.verdict import Figures
from playground.store import errors, schema
from playground.store.engine import DEFAULT_BUSY_TIMEOUT_MS, WRITE, make_engine, resolve
from playground.store.errors import DATA_DIR_ENV, StoreError, StoreRefusal, Where
from playground.store.figures import figures_from_data, figures_from_text, figures_to_text
from playground.store.import_schema import readable
from playground.store.migrate import upgrade
from playground.store.records import (
    ProgressState,
    SubmissionRecord,
    capped_verdict_text,
    check_code,
    check_learner,
    check_limit,
    check_problem,
    now,
    sha256,
    verdict_fields,
    verdict_from_text,
)
from playground.store.transfer import export_document, parse_import

_log = logging.getLogger(__name__)
_drafts, _subs = schema.drafts, schema.submissions
_INSERT_SUBMISSION = _subs.insert()
_LOAD_DRAFT = select(_drafts.c.code).where(
    _drafts.c.learner_id == bindparam("learner"), _drafts.c.problem_id == bindparam("problem")
)
_RECORD_COLUMNS = (
    _subs.c.id,
    _subs.c.learner_id,
    _subs.c.problem_id,
    _subs.c.created_at,
    _subs.c.mode,
    _subs.c.status,
    _subs.c.passed,
    _subs.c.total,
    _subs.c.elapsed_ms,
    _subs.c.code,
    _subs.c.verdict,
    _subs.c.figures,
)


MIGRATION_PATIENCE = 6  # a migration may wait this many times the usual busy timeout for another's

class Store:
    """Drafts, submissions and progress of every learner, in PostgreSQL or a SQLite file."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        url: str | URL | None = None,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> None:
        """Open (creating and migrating if needed) the database: url, else data_dir, else the environment."""
        database_url, self.where = resolve(data_dir, url)
        self.path: Path | None = self.where.path
        self.backend = database_url.get_backend_name()
        # SQLite has one writer at a time: queueing this process's writers on a lock beats its busy-retry sleeps.
        self._write_lock: contextlib.AbstractContextManager = (
            threading.Lock() if self.backend == "sqlite" else contextlib.nullcontext()
        )
        self._engine: Engine | None = None
        # Quotas per learner id (None: none); the page server sets them from its public limits.
        self.max_rows_per_learner: int | None = None
        self.max_bytes_per_learner: int | None = None
        if self.path is not None:
            with self._guard("open"):
                self.path.parent.mkdir(parents=True, exist_ok=True)
            if not errors.writable(self.path) or not os.access(self.path.parent, os.W_OK):
                raise StoreError(errors.read_only_message(self.where))
        engine = make_engine(database_url, busy_timeout_ms=busy_timeout_ms)
        # Servers started together race to migrate; on SQLite the loser waits for the winner's whole
        # migration (its imports included), which on a busy machine takes longer than an ordinary write.
        migrating = make_engine(database_url, busy_timeout_ms=busy_timeout_ms * MIGRATION_PATIENCE)
        try:
            with self._guard("open"):
                engine.connect().close()
            with self._guard("open", migrating=True):
                upgrade(migrating, self.where)
        except BaseException:
            engine.dispose()
            raise
        finally:
            migrating.dispose()
        self._engine = engine
        self._engines = {False: engine, True: engine.execution_options(**{WRITE: True})}

    @classmethod
    def open_or_error(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        url: str | URL | None = None,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> tuple[Store | None, str | None]:
        """The opened store and None, or None and a sentence for the learner; never raises."""
        try:
            return cls(data_dir, url=url, busy_timeout_ms=busy_timeout_ms), None
        except StoreError as exc:
            return None, str(exc)
        except (TypeError, ValueError) as exc:
            return None, (
                f"The data folder setting is not a usable path ({exc}); ask the operator to fix {DATA_DIR_ENV}."
            )

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for tests and tools); StoreError once closed."""
        if self._engine is None:
            raise StoreError("The progress store is closed; reload the page.")
        return self._engine

    def close(self) -> None:
        """Close every database connection; later calls raise StoreError."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # --- drafts ---

    def save_draft(self, learner_id: str, problem_id: str, code: str) -> None:
        """Save code as the learner's draft for the problem, replacing any earlier draft."""
        check_learner(learner_id)
        check_problem(problem_id)
        check_code(code)
        with self._transaction("save your draft", write=True) as conn:
            _upsert_draft(conn, learner_id, problem_id, code, now())

    def load_draft(self, learner_id: str, problem_id: str) -> str | None:
        """The learner's saved draft for the problem, or None."""
        check_learner(learner_id)
        check_problem(problem_id)
        with self._transaction("load your draft") as conn:
            return conn.execute(_LOAD_DRAFT, {"learner": learner_id, "problem": problem_id}).scalar_one_or_none()

    # --- submissions ---

    def add_submission(
        self,
        learner_id: str,
        problem_id: str,
        code: str,
        verdict: dict,
        figures: Sequence[Figures] | None = None,
    ) -> int:
        """Record a judged submission with its charts' data (and save its code as the draft); returns its id."""
        check_learner(learner_id)
        check_problem(problem_id)
        check_code(code)
        mode, status, passed, total, elapsed_ms = verdict_fields(verdict)
        row = {
            "learner_id": learner_id,
            "problem_id": problem_id,
            "created_at": now(),
            "mode": mode,
            "status": status,
            "passed": passed,
            "total": total,
            "elapsed_ms": elapsed_ms,
            "code": code,
            "code_sha256": sha256(code),
            "verdict": capped_verdict_text(verdict),
            "figures": figures_to_text(figures),
        }
        with self._transaction("save your submission", write=True) as conn:
            self._check_quota(conn, learner_id, [row])
            new_id = conn.execute(_INSERT_SUBMISSION, row).inserted_primary_key[0]
            _upsert_draft(conn, learner_id, problem_id, code, row["created_at"])
        return int(new_id)

    def submissions(self, learner_id: str, problem_id: str | None = None, limit: int = 100) -> list[SubmissionRecord]:
        """The learner's submissions, newest first, optionally for one problem only."""
        check_learner(learner_id)
        if problem_id is not None:
            check_problem(problem_id)
        check_limit(limit)
        query = select(*_RECORD_COLUMNS).where(_subs.c.learner_id == learner_id)
        if problem_id is not None:
            query = query.where(_subs.c.problem_id == problem_id)
        query = query.order_by(_subs.c.created_at.desc(), _subs.c.id.desc()).limit(limit)
        with self._transaction("load your history") as conn:
            rows = conn.execute(query).all()
        return [_record(row) for row in rows]

    def submission(self, learner_id: str, submission_id: int) -> SubmissionRecord | None:
        """One of the learner's submissions by id, or None if it is missing or someone else's."""
        check_learner(learner_id)
        if isinstance(submission_id, bool) or not isinstance(submission_id, int) or abs(submission_id) >= 2**31:
            return None
        query = select(*_RECORD_COLUMNS).where(_subs.c.learner_id == learner_id, _subs.c.id == submission_id)
        with self._transaction("load that submission") as conn:
            row = conn.execute(query).first()
        return None if row is None else _record(row)

    def progress(self, learner_id: str) -> dict[str, ProgressState]:
        """Each problem the learner has touched, mapped to attempted or solved."""
        check_learner(learner_id)
        solved = func.max(case((and_(_subs.c.status == "accepted", _subs.c.mode == "submit"), 1), else_=0))
        by_problem = select(_subs.c.problem_id, solved).where(_subs.c.learner_id == learner_id)
        with self._transaction("load your progress") as conn:
            solved_rows = conn.execute(by_problem.group_by(_subs.c.problem_id)).all()
            draft_rows = conn.execute(select(_drafts.c.problem_id).where(_drafts.c.learner_id == learner_id)).all()
        states = {pid: ProgressState.ATTEMPTED for (pid,) in draft_rows}
        for pid, is_solved in solved_rows:
            states[pid] = ProgressState.SOLVED if is_solved else ProgressState.ATTEMPTED
        return states

    # --- export, import, claim ---

    def export_json(self, learner_id: str) -> str:
        """The learner's drafts and submissions as a JSON document that import_json accepts."""
        check_learner(learner_id)
        drafts = select(_drafts.c.problem_id, _drafts.c.code, _drafts.c.updated_at).where(
            _drafts.c.learner_id == learner_id
        )
        subs = select(*_RECORD_COLUMNS).where(_subs.c.learner_id == learner_id)
        with self._transaction("export your history") as conn:
            draft_rows = conn.execute(drafts.order_by(_drafts.c.problem_id)).all()
            sub_rows = conn.execute(subs.order_by(_subs.c.created_at, _subs.c.id)).all()
        return export_document([tuple(r) for r in draft_rows], [_record(r) for r in sub_rows])

    def import_json(self, learner_id: str, text: str | bytes) -> int:
        """Add an exported history to the learner, skipping rows already present; returns submissions added."""
        check_learner(learner_id)
        drafts, subs = parse_import(text)
        added = 0
        with self._transaction("import your history", write=True) as conn:
            self._check_quota(conn, learner_id, subs)
            for d in drafts:
                conn.execute(
                    _insert(conn)
                    .values(learner_id=learner_id, **d)
                    .on_conflict_do_nothing(index_elements=["learner_id", "problem_id"])
                )
            for s in subs:
                digest = sha256(s["code"])
                seen = conn.execute(
                    select(_subs.c.id).where(
                        _subs.c.learner_id == learner_id,
                        _subs.c.problem_id == s["problem_id"],
                        _subs.c.created_at == s["created_at"],
                        _subs.c.code_sha256 == digest,
                    )
                ).first()
                if seen is None:
                    row = dict(s, learner_id=learner_id, code_sha256=digest)
                    row["verdict"] = capped_verdict_text(s["verdict"])
                    row["figures"] = figures_to_text(figures_from_data(s["figures"]))
                    conn.execute(_INSERT_SUBMISSION, row)
                    added += 1
        return added

    def claim(self, from_learner: str, to_learner: str) -> int:
        """Move an anonymous learner's submissions, and drafts the account lacks, to the account; returns rows moved."""
        check_learner(from_learner)
        check_learner(to_learner)
        if from_learner == to_learner:
            return 0
        taken = select(_drafts.c.problem_id).where(_drafts.c.learner_id == to_learner).scalar_subquery()
        move_drafts = (
            update(_drafts)
            .where(_drafts.c.learner_id == from_learner, _drafts.c.problem_id.not_in(taken))
            .values(learner_id=to_learner)
        )
        move_subs = update(_subs).where(_subs.c.learner_id == from_learner).values(learner_id=to_learner)
        with self._transaction("move your work to your account", write=True) as conn:
            moved = conn.execute(move_drafts).rowcount
            moved += conn.execute(move_subs).rowcount
        return moved

    # --- plumbing ---

    def _check_quota(self, conn: Connection, learner_id: str, rows: Sequence[dict]) -> None:
        """StoreRefusal when adding rows would take the learner over the row or byte quota."""
        if self.max_rows_per_learner is None and self.max_bytes_per_learner is None:
            return
        size = func.length(_subs.c.code) + func.length(_subs.c.verdict) + func.coalesce(func.length(_subs.c.figures), 0)
        count, used = conn.execute(
            select(func.count(), func.coalesce(func.sum(size), 0)).where(_subs.c.learner_id == learner_id)
        ).one()
        adding = sum(len(r["code"]) + len(json.dumps(r["verdict"])) + len(str(r.get("figures") or "")) for r in rows)
        if self.max_rows_per_learner is not None and count + len(rows) > self.max_rows_per_learner:
            raise StoreRefusal(
                f"This learner id already keeps {count:,} submissions, and one id keeps at most"
                f" {self.max_rows_per_learner:,}: nothing more is recorded. Download your history to keep it,"
                " and carry on under a fresh id (open the page without u= in its address)."
            )
        if self.max_bytes_per_learner is not None and used + adding > self.max_bytes_per_learner:
            raise StoreRefusal(
                f"This learner id's history has reached its size limit ({self.max_bytes_per_learner // 1_000_000} MB):"
                " nothing more is recorded. Download your history to keep it, and carry on under a fresh id."
            )

    @contextlib.contextmanager
    def _transaction(self, action: str, *, write: bool = False) -> Iterator[Connection]:
        if self._engine is None:
            raise StoreError(f"The progress store is closed, so it could not {action}; reload the page.")
        lock = self._write_lock if write else contextlib.nullcontext()
        with lock, self._guard(action), self._engines[write].begin() as conn:
            yield conn

    @contextlib.contextmanager
    def _guard(self, action: str, *, migrating: bool = False) -> Iterator[None]:
        try:
            yield
        except StoreError:
            raise
        except DBAPIError as exc:
            message = _dbapi_message(exc, self.where, action, migrating)
            if migrating:
                _log.error("Migrating the progress database %s failed: %s", self.where.label, exc)
            original = exc.orig
            if not isinstance(original, sqlite3.Error) and errors.postgres_unreachable(
                getattr(original, "sqlstate", None), str(original)
            ):
                raise errors.StoreUnreachable(message) from exc
            raise StoreError(message) from exc
        except sqlite3.Error as exc:  # raised by the BEGIN that engine.py sends to sqlite3 directly
            raise StoreError(errors.sqlite_message(exc, self.where, action)) from exc
        except PoolTimeout as exc:
            raise StoreError(errors.busy_message(self.where, action)) from exc
        except OSError as exc:
            raise StoreError(errors.os_message(exc, self.where, action)) from exc
        except (SQLAlchemyError, Exception) as exc:
            if not migrating:
                raise
            _log.exception("Migrating the progress database %s failed", self.where.label)
            raise StoreError(_migration_message(self.where, exc)) from exc


def _dbapi_message(exc: DBAPIError, where: Where, action: str, migrating: bool) -> str:
    original = exc.orig
    if isinstance(original, sqlite3.Error):
        code = getattr(original, "sqlite_errorcode", None)
        if migrating and isinstance(code, int) and code & 0xFF == sqlite3.SQLITE_ERROR:
            return _migration_message(where, original)
        return errors.sqlite_message(original, where, action)
    sqlstate = getattr(original, "sqlstate", None)
    if migrating and sqlstate and sqlstate[:2] in ("42", "23", "22"):
        return _migration_message(where, original)
    return errors.postgres_message(sqlstate, str(original), where, action)


def _migration_message(where: Where, exc: BaseException) -> str:
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    return (
        f"The progress database {where.label} could not be brought up to this playground's layout"
        f" ({first_line}); nothing in it was changed, so nothing is saved until the operator fixes it"
        " (the playground's logs name the failing migration)."
    )


def _insert(conn: Connection):  # noqa: ANN202 - a dialect's Insert with on_conflict_* methods
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(_drafts)


@functools.cache
def _upsert_statement(dialect_name: str):  # noqa: ANN202 - a dialect's Insert
    # Built once per dialect: building "excluded" afresh on every save costs more than the save itself.
    insert = (postgresql if dialect_name == "postgresql" else sqlite).insert(_drafts)
    return insert.on_conflict_do_update(
        index_elements=["learner_id", "problem_id"],
        set_={"code": insert.excluded.code, "updated_at": insert.excluded.updated_at},
    )


def _upsert_draft(conn: Connection, learner_id: str, problem_id: str, code: str, when: str) -> None:
    row = {"learner_id": learner_id, "problem_id": problem_id, "code": code, "updated_at": when}
    conn.execute(_upsert_statement(conn.dialect.name), row)


def _record(row: Sequence) -> SubmissionRecord:
    *head, verdict_text, figures_text = row
    try:
        record = SubmissionRecord(*head, verdict=verdict_from_text(verdict_text), figures=figures_from_text(figures_text))
        if readable(record):
            return record
    except Exception:  # noqa: BLE001 - a row written by hand or by a broken import: listed, never shown
        _log.exception("Submission row %s cannot be read", head[0] if head else "?")
    sub_id, learner_id, problem_id = (list(head) + [0, "", ""])[:3]
    return SubmissionRecord(int(sub_id or 0), str(learner_id), str(problem_id), "", "", "", 0, 0, 0.0, "", {},
                            unreadable=True)
