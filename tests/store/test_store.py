"""Tests for the store on SQLite and on a real PostgreSQL: migrations and the upgrade of old files, isolation,
caps, figures, export/import, claims, threads, two processes, and every failure the page must explain."""

from __future__ import annotations

import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, inspect, text

from playground.judge.model_state import ModelState, StateVariable
from playground.judge.verdict import Figures, Panel, figures_to_dict
from playground.problems.panels import Chart
from playground.store import (
    DB_FILENAME,
    MAX_CODE_CHARS,
    MAX_FIGURES_BYTES,
    MAX_VERDICT_BYTES,
    ProgressState,
    Store,
    StoreError,
    SubmissionRecord,
    is_valid_learner_id,
    new_learner_id,
)
from playground.store import migrate as migrate_module
from playground.store.figures import figures_from_data
from playground.store.migrate import head_revision
from tests.support.postgres_server import PostgresServer, postgres_server_fixture  # noqa: F401 - the session fixture
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_V2 = ROOT / "tests" / "fixtures" / "store_v2"

# The schema as version 1 of the hand-written store shipped it, written out by hand so the upgrade path
# is tested against what old databases really contain, not against whatever the module says today.
V1_SQL = """
CREATE TABLE drafts (
    learner_id TEXT NOT NULL, problem_id TEXT NOT NULL, code TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (learner_id, problem_id));
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, learner_id TEXT NOT NULL, problem_id TEXT NOT NULL,
    created_at TEXT NOT NULL, mode TEXT NOT NULL, status TEXT NOT NULL, passed INTEGER NOT NULL,
    total INTEGER NOT NULL, code TEXT NOT NULL, verdict TEXT NOT NULL);
PRAGMA user_version = 1;
"""

ALICE = "alice_learner_01"
BOB = "bob-learner-0002"

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def verdict(status: str = "accepted", mode: str = "submit", passed: int = 2, total: int = 2, **extra) -> dict:
    """A judge verdict dict shaped like playground.judge.verdict.Verdict.to_dict()."""
    return {
        "version": 1,
        "problem": "p",
        "file": "solution.py",
        "mode": mode,
        "status": status,
        "message": "All tests passed." if status == "accepted" else "Some tests failed.",
        "hint": None,
        "passed": passed,
        "total": total,
        "tests": [
            {
                "name": "t1",
                "hidden": False,
                "passed": True,
                "message": "ok",
                "max_abs_error": 0.0,
                "input": {"x": [1, 2]},
                "expected": [3.0],
                "got": [3.0],
            },
        ],
        "stdout": "",
        "warnings": [],
        "elapsed_ms": 12.5,
        **extra,
    }


@dataclass
class Target:
    """One fresh database on one backend: open() gives a Store on it (several may be open at once)."""

    backend: str
    folder: Path | None = None
    url: str | None = None
    server: PostgresServer | None = None

    def open(self, **options) -> Store:
        """A Store on this database."""
        return Store(self.folder, url=self.url, **options)

    def sql(self, statement: str) -> list[tuple]:
        """Run one statement on this database directly, with no Store (so nothing migrates); its rows."""
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
        engine = create_engine(self.url or f"sqlite:///{self.folder / DB_FILENAME}")
        try:
            with engine.begin() as conn:
                result = conn.execute(text(statement))
                return [tuple(r) for r in result] if result.returns_rows else []
        finally:
            engine.dispose()

    def tables(self) -> set[str]:
        """The tables in this database."""
        engine = create_engine(self.url or f"sqlite:///{self.folder / DB_FILENAME}")
        try:
            return set(inspect(engine).get_table_names())
        finally:
            engine.dispose()


@pytest.fixture(params=BACKENDS)
def target(request, tmp_path) -> Target:
    """A fresh, empty database on each backend (PostgreSQL starts once per session)."""
    if request.param == "sqlite":
        return Target("sqlite", folder=tmp_path / "data")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return Target("postgres", url=server.new_schema_url(), server=server)


@pytest.fixture
def store(target):
    """A store on a fresh database, closed afterwards."""
    s = target.open()
    yield s
    s.close()


def table_columns(path: Path, table: str) -> set[str]:
    """Column names of a SQLite table, read with a separate connection."""
    conn = sqlite3.connect(path)
    try:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    finally:
        conn.close()


def sqlite_value(path: Path, sql: str):
    """The first column of the first row of a query, read with a separate SQLite connection."""
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(sql).fetchone()
        return None if row is None else row[0]
    finally:
        conn.close()


# --- learner ids --------------------------------------------------------------------------


def test_new_learner_ids_are_valid_and_distinct():
    ids = {new_learner_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(is_valid_learner_id(i) for i in ids)


@pytest.mark.parametrize("bad", ["", "short", "x" * 65, "has space1", "semi;colon", "ünïcode12", None, 12345678])
def test_invalid_learner_ids_are_rejected(tmp_path, bad):
    assert not is_valid_learner_id(bad)
    s = Store(tmp_path)
    try:
        with pytest.raises(StoreError, match="learner id is not valid"):
            s.load_draft(bad, "p")
    finally:
        s.close()


def test_learner_id_length_bounds():
    assert is_valid_learner_id("a" * 8)
    assert is_valid_learner_id("A-z_9" * 12 + "abcd")
    assert not is_valid_learner_id("a" * 7)


# --- choosing the database ----------------------------------------------------------------


def test_fresh_sqlite_file_is_created_at_the_head_revision_in_wal_mode(tmp_path):
    folder = tmp_path / "nested" / "data"
    s = Store(folder)
    try:
        assert s.path == folder / DB_FILENAME
        assert s.path.is_file()
    finally:
        s.close()
    db = folder / DB_FILENAME
    assert sqlite_value(db, "SELECT version_num FROM alembic_version") == head_revision()
    assert sqlite_value(db, "PRAGMA journal_mode") == "wal"
    # The layout is a superset of the hand-written store's version 2, and says so to older playgrounds.
    assert sqlite_value(db, "PRAGMA user_version") == 2
    assert {"elapsed_ms", "code_sha256", "figures"} <= table_columns(db, "submissions")


def test_data_dir_comes_from_environment_then_defaults_to_cwd(tmp_path, monkeypatch):
    monkeypatch.delenv("PLAYGROUND_DATABASE_URL", raising=False)
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "from_env"))
    s = Store()
    s.close()
    assert s.path == tmp_path / "from_env" / DB_FILENAME

    monkeypatch.delenv("PLAYGROUND_DATA_DIR")
    monkeypatch.chdir(tmp_path)
    s = Store()
    s.close()
    assert s.path == tmp_path / "data" / DB_FILENAME
    assert s.path.is_file()


@pytest.mark.postgres
def test_database_url_from_environment_wins_over_the_data_dir(postgres_server, tmp_path, monkeypatch):
    name = postgres_server.new_database()
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "unused"))
    # The plain postgresql:// scheme is accepted and driven by psycopg 3.
    monkeypatch.setenv("PLAYGROUND_DATABASE_URL", postgres_server.url(name).replace("+psycopg", ""))
    s = Store()
    try:
        assert s.backend == "postgresql" and s.path is None
        assert postgres_server.password not in s.where.label
        s.save_draft(ALICE, "p", "in postgres")
    finally:
        s.close()
    assert not (tmp_path / "unused").exists()
    other = Store(url=postgres_server.url(name))
    try:
        assert other.load_draft(ALICE, "p") == "in postgres"
    finally:
        other.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [("mysql://u:p@localhost/db", "only in PostgreSQL"), ("not a url at all", "is not a database URL")],
)
def test_unsupported_database_urls_are_refused_with_advice(url, message):
    s, error = Store.open_or_error(url=url)
    assert s is None and message in error and "PLAYGROUND_DATABASE_URL" in error


def test_reopening_keeps_data(target):
    s = target.open()
    s.save_draft(ALICE, "p", "x = 1")
    s.close()
    s = target.open()
    try:
        assert s.load_draft(ALICE, "p") == "x = 1"
    finally:
        s.close()


# --- upgrades -----------------------------------------------------------------------------


def test_data_folder_of_the_hand_written_store_opens_with_everything(tmp_path):
    # tests/fixtures/store_v2 was written by the hand-written SQLite store (schema version 2); see its README.
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE_V2, folder)
    db = folder / DB_FILENAME
    assert sqlite_value(db, "PRAGMA user_version") == 2
    before = {
        "drafts": sqlite3.connect(db).execute("SELECT * FROM drafts ORDER BY learner_id, problem_id").fetchall(),
        "subs": sqlite3.connect(db).execute("SELECT * FROM submissions ORDER BY id").fetchall(),
    }
    s = Store(folder)
    try:
        alice, bob = "fixture_alice_01", "fixture-bob-0002"
        assert s.load_draft(alice, "dropout_modes") == "only a draft"
        assert s.load_draft(alice, "mlp_two_layers") == "ran it"
        assert s.load_draft(alice, "module_basics_forward") == "second try"
        assert s.load_draft(bob, "module_basics_forward") == "bob's code"
        history = s.submissions(alice)
        assert [r.code for r in history] == ["ran it", "second try", "first try"]
        assert [(r.status, r.mode, r.passed, r.total, r.elapsed_ms) for r in history] == [
            ("accepted", "run", 2, 2, 8.0),
            ("accepted", "submit", 2, 2, 12.5),
            ("wrong_answer", "submit", 1, 2, 30.25),
        ]
        assert history[1].verdict["stdout"] == "printed\n"
        assert history[2].verdict["tests"][0]["input"] == {"seed": 0, "x": [[1.0, 2.0]]}
        assert all(r.figures == [] for r in history)  # kept only from now on
        assert s.progress(alice) == {
            "module_basics_forward": ProgressState.SOLVED,
            "mlp_two_layers": ProgressState.ATTEMPTED,
            "dropout_modes": ProgressState.ATTEMPTED,
        }
        assert [r.status for r in s.submissions(bob)] == ["runtime_error"]
        # Old rows keep their ids and code hashes, so re-importing their export adds nothing.
        assert s.import_json(alice, s.export_json(alice)) == 0
        new_id = s.add_submission(alice, "module_basics_forward", "third try", verdict(), [figure()])
        assert new_id > max(r.id for r in history)
        assert s.submission(alice, new_id).figures == [figure()]
    finally:
        s.close()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
        rows = conn.execute(
            "SELECT id, learner_id, problem_id, created_at, mode, status, passed, total, code, verdict, elapsed_ms,"
            " code_sha256 FROM submissions WHERE id <= 4 ORDER BY id"
        ).fetchall()
        assert rows == before["subs"]
        drafts = conn.execute("SELECT * FROM drafts WHERE NOT (learner_id = ? AND problem_id = ?)"
                              " ORDER BY learner_id, problem_id", ("fixture_alice_01", "module_basics_forward"))
        assert drafts.fetchall() == [d for d in before["drafts"] if d[:2] != ("fixture_alice_01", "module_basics_forward")]
    finally:
        conn.close()


def test_migrates_version_1_database_and_keeps_its_rows(tmp_path):
    db = tmp_path / DB_FILENAME
    conn = sqlite3.connect(db)
    conn.executescript(V1_SQL)
    conn.execute("INSERT INTO drafts VALUES (?, ?, ?, ?)", (ALICE, "p1", "draft code", "2024-01-01T00:00:00.000000+00:00"))
    conn.execute(
        "INSERT INTO submissions (learner_id, problem_id, created_at, mode, status, passed, total, code, verdict)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ALICE, "p1", "2024-01-02T00:00:00.000000+00:00", "submit", "accepted", 2, 2, "old code",
         json.dumps(verdict(elapsed_ms=42.0))),
    )
    conn.commit()
    conn.close()

    s = Store(tmp_path)
    try:
        assert s.load_draft(ALICE, "p1") == "draft code"
        [old] = s.submissions(ALICE)
        assert (old.code, old.status, old.mode, old.passed, old.total) == ("old code", "accepted", "submit", 2, 2)
        assert old.elapsed_ms == 42.0  # backfilled from the stored verdict
        assert s.progress(ALICE) == {"p1": ProgressState.SOLVED}
        assert s.import_json(ALICE, s.export_json(ALICE)) == 0
        assert s.add_submission(ALICE, "p1", "new code", verdict()) > old.id
    finally:
        s.close()
    indexes = {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"submissions_by_learner", "submissions_dedupe"} <= indexes
    assert sqlite_value(db, "SELECT version_num FROM alembic_version") == head_revision()


def test_failed_legacy_step_rolls_back_to_the_old_version(tmp_path, monkeypatch):
    db = tmp_path / DB_FILENAME
    conn = sqlite3.connect(db)
    conn.executescript(V1_SQL)
    conn.close()

    def half_done(conn) -> None:
        conn.exec_driver_sql("ALTER TABLE submissions ADD COLUMN elapsed_ms REAL NOT NULL DEFAULT 0")
        raise RuntimeError("simulated failure half way through")

    monkeypatch.setattr(migrate_module, "_legacy_v1_to_v2", half_done)
    s, message = Store.open_or_error(tmp_path)
    assert s is None and "could not be brought up to this playground's layout" in message
    assert "simulated failure" in message
    assert "elapsed_ms" not in table_columns(db, "submissions")
    assert sqlite_value(db, "PRAGMA user_version") == 1
    assert sqlite_value(db, "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'") == 0


def test_failed_migration_changes_nothing_and_says_so(target):
    # A real failure: the database already holds someone else's "drafts" table, so the first step cannot run.
    target.sql("CREATE TABLE drafts (note TEXT)")
    target.sql("INSERT INTO drafts VALUES ('theirs')")
    s, message = Store.open_or_error(target.folder, url=target.url)
    assert s is None
    assert "could not be brought up to this playground's layout" in message
    assert "nothing in it was changed" in message
    # Rolled back as a whole: no version table, no submissions table, their table untouched.
    assert target.tables() == {"drafts"}
    assert target.sql("SELECT * FROM drafts") == [("theirs",)]


def test_database_from_a_newer_playground_is_refused(target):
    s = target.open()
    s.save_draft(ALICE, "p", "kept")
    s.close()
    target.sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    s, message = Store.open_or_error(target.folder, url=target.url)
    assert s is None and "newer version of the playground" in message and "update the playground" in message


def test_sqlite_file_with_a_newer_hand_written_schema_is_refused(tmp_path):
    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    conn.executescript(V1_SQL.replace("user_version = 1", "user_version = 3"))
    conn.close()
    with pytest.raises(StoreError, match="newer version of the playground"):
        Store(tmp_path)


# --- drafts -------------------------------------------------------------------------------


def test_draft_save_load_overwrite(store):
    assert store.load_draft(ALICE, "p") is None
    store.save_draft(ALICE, "p", "a = 1")
    assert store.load_draft(ALICE, "p") == "a = 1"
    store.save_draft(ALICE, "p", "a = 2\n# ünïcode ✓")
    assert store.load_draft(ALICE, "p") == "a = 2\n# ünïcode ✓"
    store.save_draft(ALICE, "p", "")
    assert store.load_draft(ALICE, "p") == ""


def test_drafts_are_isolated_per_learner_and_problem(store):
    store.save_draft(ALICE, "p1", "alice p1")
    store.save_draft(ALICE, "p2", "alice p2")
    store.save_draft(BOB, "p1", "bob p1")
    assert store.load_draft(ALICE, "p1") == "alice p1"
    assert store.load_draft(ALICE, "p2") == "alice p2"
    assert store.load_draft(BOB, "p1") == "bob p1"
    assert store.load_draft(BOB, "p2") is None


def test_code_over_the_cap_is_refused_with_advice(store):
    store.save_draft(ALICE, "p", "x" * MAX_CODE_CHARS)
    with pytest.raises(StoreError, match="limit for saving; shorten it"):
        store.save_draft(ALICE, "p", "x" * (MAX_CODE_CHARS + 1))
    with pytest.raises(StoreError, match="shorten it"):
        store.add_submission(ALICE, "p", "x" * (MAX_CODE_CHARS + 1), verdict())
    assert store.load_draft(ALICE, "p") == "x" * MAX_CODE_CHARS
    assert store.submissions(ALICE) == []


@pytest.mark.parametrize("bad", ["", "x" * 201, "new\nline", None])
def test_bad_problem_ids_are_rejected(store, bad):
    with pytest.raises(StoreError, match="problem id"):
        store.save_draft(ALICE, bad, "code")


# --- submissions --------------------------------------------------------------------------


def test_submission_fields_round_trip_and_code_becomes_the_draft(store):
    v = verdict(status="wrong_answer", mode="run", passed=1, total=3, elapsed_ms=7.25)
    sid = store.add_submission(ALICE, "p", "def f(): pass", v)
    record = store.submission(ALICE, sid)
    assert isinstance(record, SubmissionRecord)
    assert (record.id, record.learner_id, record.problem_id) == (sid, ALICE, "p")
    assert (record.mode, record.status, record.passed, record.total) == (
        "run",
        "wrong_answer",
        1,
        3,
    )
    assert record.elapsed_ms == 7.25
    assert record.code == "def f(): pass"
    assert record.verdict == v
    assert record.created_at.endswith("+00:00")
    assert store.load_draft(ALICE, "p") == "def f(): pass"


def test_submissions_are_newest_first_and_filterable(store):
    ids = [
        store.add_submission(ALICE, f"p{i % 2}", f"code {i}", verdict())
        for i in range(5)
    ]
    assert [r.id for r in store.submissions(ALICE)] == ids[::-1]
    assert [r.code for r in store.submissions(ALICE, "p0")] == [
        "code 4",
        "code 2",
        "code 0",
    ]
    assert [r.id for r in store.submissions(ALICE, limit=2)] == ids[:-3:-1]
    with pytest.raises(StoreError):
        store.submissions(ALICE, limit=0)


def test_other_learners_cannot_see_submissions(store):
    sid = store.add_submission(ALICE, "p", "secret", verdict())
    assert store.submission(BOB, sid) is None
    assert store.submissions(BOB) == []
    assert store.progress(BOB) == {}
    assert '"secret"' not in store.export_json(BOB)
    assert store.submission(ALICE, sid + 1000) is None


def test_malformed_verdict_is_refused(store):
    with pytest.raises(StoreError, match="no mode or status"):
        store.add_submission(ALICE, "p", "c", {"passed": 1})
    with pytest.raises(StoreError, match="malformed passed"):
        store.add_submission(ALICE, "p", "c", verdict(passed="1"))
    with pytest.raises(StoreError, match="not a JSON object"):
        store.add_submission(ALICE, "p", "c", ["not", "a", "dict"])


def test_huge_stdout_is_dropped_but_the_rest_is_kept(store):
    v = verdict(stdout="y" * (MAX_VERDICT_BYTES + 10))
    sid = store.add_submission(ALICE, "p", "c", v)
    kept = store.submission(ALICE, sid).verdict
    assert "dropped" in kept["stdout"]
    assert kept["tests"] == v["tests"]
    assert kept["status"] == "accepted"
    assert len(json.dumps(kept).encode()) <= MAX_VERDICT_BYTES


def test_huge_test_values_are_dropped_after_stdout(store):
    big = [float(i) for i in range(MAX_VERDICT_BYTES // 4)]
    v = verdict(stdout="some output")
    v["tests"][0].update(expected=big, got=big)
    sid = store.add_submission(ALICE, "p", "c", v)
    kept = store.submission(ALICE, sid).verdict
    assert "dropped" in kept["stdout"]
    assert kept["tests"][0]["expected"] is None and kept["tests"][0]["got"] is None
    assert kept["tests"][0]["name"] == "t1" and kept["tests"][0]["passed"] is True
    assert kept["passed"] == 2 and kept["total"] == 2
    assert len(json.dumps(kept).encode()) <= MAX_VERDICT_BYTES


def test_verdict_that_stays_huge_keeps_only_its_summary(store):
    v = verdict(
        message="m" * (MAX_VERDICT_BYTES * 2), warnings=["w" * MAX_VERDICT_BYTES]
    )
    sid = store.add_submission(ALICE, "p", "c", v)
    record = store.submission(ALICE, sid)
    assert record.status == "accepted"
    assert record.verdict["status"] == "accepted"
    assert "dropped" in record.verdict
    assert len(json.dumps(record.verdict).encode()) <= MAX_VERDICT_BYTES


# --- progress -----------------------------------------------------------------------------


def test_progress_states(store):
    store.save_draft(ALICE, "drafted", "x")
    store.add_submission(ALICE, "failed", "x", verdict(status="wrong_answer", passed=0))
    store.add_submission(ALICE, "ran_ok", "x", verdict(mode="run"))
    store.add_submission(
        ALICE, "solved", "x", verdict(status="runtime_error", passed=0)
    )
    store.add_submission(ALICE, "solved", "x", verdict())
    store.add_submission(ALICE, "solved", "x", verdict(status="wrong_answer", passed=1))
    assert store.progress(ALICE) == {
        "drafted": ProgressState.ATTEMPTED,
        "failed": ProgressState.ATTEMPTED,
        "ran_ok": ProgressState.ATTEMPTED,
        "solved": ProgressState.SOLVED,
    }
    assert store.progress(BOB) == {}
    assert (
        store.progress(ALICE).get("other", ProgressState.NOT_STARTED)
        is ProgressState.NOT_STARTED
    )


# --- export and import --------------------------------------------------------------------


def fill(store: Store, learner: str) -> None:
    """Give a learner two drafts and three submissions."""
    store.add_submission(
        learner, "p1", "first", verdict(status="wrong_answer", passed=1)
    )
    store.add_submission(learner, "p1", "second", verdict())
    store.add_submission(learner, "p2", "third", verdict(mode="run", elapsed_ms=3.5))
    store.save_draft(learner, "p3", "only a draft")


def comparable(records: list[SubmissionRecord]) -> list[tuple]:
    """Submission fields that should survive export and import."""
    return [
        (
            r.problem_id,
            r.created_at,
            r.mode,
            r.status,
            r.passed,
            r.total,
            r.elapsed_ms,
            r.code,
            r.verdict,
        )
        for r in records
    ]


def test_export_format(store):
    fill(store, ALICE)
    document = json.loads(store.export_json(ALICE))
    assert document["format"] == "flax-nnx-playground-history"
    assert document["version"] == 1
    assert "learner_id" not in document
    assert ALICE not in json.dumps(document)
    assert {d["problem_id"] for d in document["drafts"]} == {"p1", "p2", "p3"}
    assert [s["code"] for s in document["submissions"]] == ["first", "second", "third"]


def test_export_then_import_into_a_fresh_learner_round_trips(store):
    fill(store, ALICE)
    assert store.import_json(BOB, store.export_json(ALICE)) == 3
    assert comparable(store.submissions(BOB)) == comparable(store.submissions(ALICE))
    assert store.progress(BOB) == store.progress(ALICE)
    for problem in ("p1", "p2", "p3"):
        assert store.load_draft(BOB, problem) == store.load_draft(ALICE, problem)


def test_import_into_a_fresh_database(store, tmp_path):
    fill(store, ALICE)
    other = Store(tmp_path / "elsewhere")
    try:
        assert other.import_json(BOB, store.export_json(ALICE).encode()) == 3
        assert comparable(other.submissions(BOB)) == comparable(
            store.submissions(ALICE)
        )
    finally:
        other.close()


def test_import_twice_does_not_duplicate(store):
    fill(store, ALICE)
    text = store.export_json(ALICE)
    assert store.import_json(BOB, text) == 3
    assert store.import_json(BOB, text) == 0
    assert store.import_json(ALICE, text) == 0
    assert len(store.submissions(BOB)) == 3
    assert len(store.submissions(ALICE)) == 3


def test_import_keeps_existing_drafts(store):
    store.save_draft(ALICE, "p1", "exported draft")
    text = store.export_json(ALICE)
    store.save_draft(BOB, "p1", "bob's newer work")
    store.import_json(BOB, text)
    assert store.load_draft(BOB, "p1") == "bob's newer work"


def valid_export() -> dict:
    """A minimal valid export document with one submission."""
    return {
        "format": "flax-nnx-playground-history",
        "version": 1,
        "drafts": [],
        "submissions": [
            {
                "problem_id": "p",
                "created_at": "2024-05-01T10:00:00Z",
                "mode": "submit",
                "status": "accepted",
                "passed": 1,
                "total": 1,
                "elapsed_ms": 1.0,
                "code": "c",
                "verdict": verdict(),
            }
        ],
    }


def broken(change) -> str:
    """A valid export with one change applied, as text."""
    document = valid_export()
    change(document)
    return json.dumps(document)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("this is not json", "not valid JSON \\(line 1, column 1\\)"),
        ('{"format": ', "not valid JSON"),
        ("[1, 2, 3]", "not a playground history export"),
        (
            json.dumps({"format": "something-else", "version": 1}),
            "not a playground history export",
        ),
        (broken(lambda d: d.update(version=2)), "format version 2"),
        (broken(lambda d: d.pop("submissions")), "no drafts or submissions list"),
        (
            broken(lambda d: d["submissions"].append("oops")),
            "Submission 2 in the import file is not an object",
        ),
        (
            broken(lambda d: d["submissions"][0].pop("code")),
            'Submission 1 .* malformed "code"',
        ),
        (broken(lambda d: d["submissions"][0].update(passed=-1)), 'malformed "passed"'),
        (
            broken(lambda d: d["submissions"][0].update(verdict="x")),
            'malformed "verdict"',
        ),
        (
            broken(lambda d: d["submissions"][0].update(created_at="yesterday")),
            'malformed "created_at"',
        ),
        (
            broken(
                lambda d: d["submissions"][0].update(created_at="2024-05-01T10:00:00")
            ),
            "with a zone",
        ),
        (
            broken(
                lambda d: d["submissions"][0].update(code="x" * (MAX_CODE_CHARS + 1))
            ),
            "character limit",
        ),
        (
            broken(lambda d: d["drafts"].append({"problem_id": "p", "code": 3})),
            'Draft 1 .* malformed "code"',
        ),
    ],
)
def test_bad_imports_are_refused_with_a_clear_message(store, text, message):
    with pytest.raises(StoreError, match=message):
        store.import_json(ALICE, text)
    assert store.submissions(ALICE) == []


def test_import_over_the_size_cap_is_refused(store):
    document = valid_export()
    document["padding"] = "z" * (5 * 1024 * 1024)
    with pytest.raises(StoreError, match="larger than the 5 MB limit"):
        store.import_json(ALICE, json.dumps(document))
    with pytest.raises(StoreError, match="not UTF-8"):
        store.import_json(ALICE, b"\xff\xfe not utf-8")


def test_a_bad_row_late_in_the_file_imports_nothing(store):
    document = valid_export()
    document["submissions"].append(
        dict(document["submissions"][0], created_at="2024-05-02T10:00:00Z")
    )
    document["submissions"].append({"problem_id": "p"})
    with pytest.raises(StoreError, match="Submission 3"):
        store.import_json(ALICE, json.dumps(document))
    assert store.submissions(ALICE) == []


def test_imported_times_are_normalised_to_utc(store):
    document = valid_export()
    document["submissions"][0]["created_at"] = "2024-05-01T12:00:00+02:00"
    store.import_json(ALICE, json.dumps(document))
    assert store.submissions(ALICE)[0].created_at == "2024-05-01T10:00:00.000000+00:00"


# --- claim --------------------------------------------------------------------------------


def test_claim_moves_submissions_and_only_missing_drafts(store):
    anon, account = new_learner_id(), new_learner_id()
    store.add_submission(anon, "p1", "anon p1", verdict())
    store.add_submission(anon, "p2", "anon p2", verdict(status="wrong_answer"))
    store.save_draft(account, "p2", "account p2")
    store.add_submission(account, "p3", "account p3", verdict(mode="run"))

    # 2 submissions + the p1 draft; the anonymous p2 draft stays because the account has its own.
    assert store.claim(anon, account) == 3
    assert store.submissions(anon) == []
    assert sorted(r.code for r in store.submissions(account)) == [
        "account p3",
        "anon p1",
        "anon p2",
    ]
    assert store.load_draft(account, "p1") == "anon p1"
    assert store.load_draft(account, "p2") == "account p2"
    assert store.progress(account) == {
        "p1": ProgressState.SOLVED,
        "p2": ProgressState.ATTEMPTED,
        "p3": ProgressState.ATTEMPTED,
    }
    assert store.claim(anon, account) == 0
    assert store.claim(account, account) == 0
    with pytest.raises(StoreError):
        store.claim(anon, "not valid!")


# --- figures ------------------------------------------------------------------------------


def figure(name: str = "example 1") -> Figures:
    """Chart data shaped like the judge's: kernels, outputs and one extra panel."""
    return Figures(
        test_name=name,
        learner_kernel=[[0.5, -0.25], [1.0, 2.0]],
        reference_kernel=[[0.5, -0.25], [1.0, 2.5]],
        kernel_note=None,
        got=[1.0, 2.0, 3.0],
        expected=[1.0, 2.0, 3.5],
        panels=[Panel("bars", "bias", [0.1, 0.2], [0.1, 0.3], note="bias differs")],
        learner_state=ModelState(
            module="Linear",
            variables=(StateVariable("kernel", "Param", (2, 2), "float32", 4, -0.25, 2.0, 0.8125),),
            modules=1,
            total=1,
        ),
        reference_state=ModelState(module=None),
    )


def test_figures_are_kept_with_each_submission(store):
    sid = store.add_submission(ALICE, "p", "c", verdict(), [figure("a"), figure("b")])
    assert store.submission(ALICE, sid).figures == [figure("a"), figure("b")]
    assert store.submissions(ALICE)[0].figures == [figure("a"), figure("b")]
    plain = store.add_submission(ALICE, "p", "c", verdict())
    assert store.submission(ALICE, plain).figures == []


def test_figures_are_rounded_and_non_finite_values_become_gaps(store):
    odd = figure()
    odd.got = [math.pi, math.nan, math.inf, -1e-30]
    odd.learner_kernel = [[1 / 3, -math.inf]]
    sid = store.add_submission(ALICE, "p", "c", verdict(), [odd])
    [kept] = store.submission(ALICE, sid).figures
    assert kept.got == [3.1416, None, None, -1e-30]
    assert kept.learner_kernel == [[0.33333, None]]


def test_figures_are_capped(store):
    huge = figure()
    huge.learner_kernel = [[float(i + j) for j in range(100)] for i in range(100)]
    sid = store.add_submission(ALICE, "p", "c", verdict(), [huge] + [figure(f"t{i}") for i in range(400)])
    kept = store.submission(ALICE, sid).figures
    assert kept[0].learner_kernel is None and "too many to keep" in kept[0].kernel_note
    assert kept[0].reference_kernel == figure().reference_kernel and kept[0].got == figure().got
    assert 1 < len(kept) < 401 and [f.test_name for f in kept[1:4]] == ["t0", "t1", "t2"]
    stored = target_figures_bytes(store, sid)
    assert stored <= MAX_FIGURES_BYTES


def target_figures_bytes(store: Store, submission_id: int) -> int:
    """How many bytes of figures JSON the database holds for a submission."""
    with store.engine.connect() as conn:
        value = conn.execute(text("SELECT figures FROM submissions WHERE id = :i"), {"i": submission_id}).scalar_one()
    return len(value.encode())


def test_figures_travel_through_export_and_import(store):
    store.add_submission(ALICE, "p", "c", verdict(), [figure()])
    assert store.import_json(BOB, store.export_json(ALICE)) == 1
    assert store.submissions(BOB)[0].figures == [figure()]


def charted(name: str = "example 1") -> Figures:
    """A figure with a problem's own charts of each kind, as the history page draws them."""
    drawn = figure(name)
    drawn.charts = [
        Chart("heatmaps", "Attention weights", [[0.25, 0.75], [1.0, 0.0]], [[0.5, 0.5], [1.0, 0.0]],
              masked=[[False, True], [False, False]], value_range=(0.0, 1.0)),
        Chart("lines", "Loss", [[2.5, 1.25]], [[2.5, 1.0]], names=("loss",), x_labels=("before", "after"),
              x_title="step", y_title="loss"),
        Chart("bars", "Activations", [0.0, 1.5], [0.0, 1.5], note="one unit zeroed", names=("u0", "u1"),
              marked_learner=(0,), marked_reference=(0,)),
    ]
    return drawn


def test_the_problems_own_charts_are_kept_and_come_back(store):
    sid = store.add_submission(ALICE, "p", "c", verdict(), [charted("a"), charted("b")])
    assert store.submission(ALICE, sid).figures == [charted("a"), charted("b")]
    assert store.submissions(ALICE)[0].figures == [charted("a"), charted("b")]
    assert store.import_json(BOB, store.export_json(ALICE)) == 1
    assert store.submissions(BOB)[0].figures == [charted("a"), charted("b")]


def test_charts_are_stored_as_the_judge_serialises_them(store):
    sid = store.add_submission(ALICE, "p", "c", verdict(), [charted()])
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT figures FROM submissions WHERE id = :i"), {"i": sid}).scalar_one()
    [item] = json.loads(stored)
    assert item == figures_to_dict(charted())  # every number here already has at most 5 significant digits


# A row as the store wrote figures before the problems' own charts were kept (no "charts" key, gaps as null).
EARLIER_FIGURES_ROW = (
    '[{"test_name":"example 1","learner_kernel":[[0.5,-0.25],[1.0,2.0]],"reference_kernel":[[0.5,-0.25],[1.0,2.5]],'
    '"kernel_note":null,"got":[1.0,2.0,3.0],"expected":[1.0,2.0,3.5],"panels":[{"kind":"bars","title":"bias",'
    '"learner":[0.1,0.2],"reference":[0.1,0.3],"note":"bias differs"}],"learner_state":{"module":"Linear",'
    '"variables":[{"path":"kernel","type":"Param","shape":[2,2],"dtype":"float32","size":4,"min":-0.25,"max":2.0,'
    '"mean":0.8125}],"modules":1,"total":1,"truncated":false,"unreadable":false,"traced":false},'
    '"reference_state":{"module":null,"variables":[],"modules":0,"total":0,"truncated":false,"unreadable":false,'
    '"traced":false}},{"test_name":"example 2","learner_kernel":null,"reference_kernel":[[1.0]],'
    '"kernel_note":"This chart\'s numbers were too many to keep with the submission.","got":[null,2.0],'
    '"expected":[1.0,2.0],"panels":[],"learner_state":null,"reference_state":null}]'
)


def test_a_row_in_the_earlier_figures_format_still_reads_back(store):
    sid = store.add_submission(ALICE, "p", "c", verdict(), [charted()])
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE submissions SET figures = :f WHERE id = :i"), {"f": EARLIER_FIGURES_ROW, "i": sid})
    first, second = store.submission(ALICE, sid).figures
    assert first == figure()
    assert second == Figures("example 2", None, [[1.0]], "This chart's numbers were too many to keep with the submission.",
                             [None, 2.0], [1.0, 2.0])
    assert store.import_json(BOB, store.export_json(ALICE)) == 1
    assert store.submissions(BOB)[0].figures == [first, second]


def test_damaged_chart_fields_are_dropped_not_raised():
    good = figures_to_dict(charted())
    damaged = [
        good | {"charts": [good["charts"][0] | {"masked": [[1, 0]], "value_range": [1.0, "x"], "names": "abc",
                                                "marked_learner": [-1, "2", 3], "learner": [["x", 0.5]]},
                           {"title": "no kind"}, "not a chart", good["charts"][1] | {"x_title": 7}]},
        good | {"charts": {"kind": "bars"}, "panels": {"kind": "bars"}},
        {"test_name": 3},
    ]
    first, second = figures_from_data(damaged)
    heatmap, lines = first.charts
    assert heatmap.masked is None and heatmap.value_range is None and heatmap.names == ()
    assert heatmap.marked_learner == (3,) and heatmap.learner == [[None, 0.5]]
    assert lines.x_title == "" and lines.learner == [[2.5, 1.25]]
    assert second.charts == [] and second.panels == []


# --- threads and processes ----------------------------------------------------------------


def test_many_threads_writing_at_once_lose_nothing(store):
    threads_n, ops = 12, 15
    learners = [new_learner_id() for _ in range(threads_n)]
    shared = new_learner_id()
    barrier = threading.Barrier(threads_n)

    def work(t: int) -> None:
        barrier.wait(timeout=30)
        for i in range(ops):
            store.save_draft(learners[t], f"p{i % 3}", f"draft {t} {i}")
            store.add_submission(learners[t], f"p{i % 3}", f"code {t} {i}", verdict(elapsed_ms=float(i)))
            store.add_submission(shared, "shared", f"shared {t} {i}", verdict(mode="run"))
            store.progress(learners[t])

    with ThreadPoolExecutor(max_workers=threads_n) as pool:
        futures = [pool.submit(work, t) for t in range(threads_n)]
    for future in futures:
        future.result()  # re-raises anything a worker hit

    for t, learner in enumerate(learners):
        records = store.submissions(learner, limit=1000)
        assert sorted(r.code for r in records) == sorted(f"code {t} {i}" for i in range(ops))
        assert all(r.learner_id == learner and r.elapsed_ms == float(r.code.split()[-1]) for r in records)
        # Each thread's own writes are ordered, so each problem's draft is the code of its last submission.
        for p in range(3):
            last = max(i for i in range(ops) if i % 3 == p)
            assert store.load_draft(learner, f"p{p}") == f"code {t} {last}"
    shared_codes = sorted(r.code for r in store.submissions(shared, limit=1000))
    assert shared_codes == sorted(f"shared {t} {i}" for t in range(threads_n) for i in range(ops))


# A page server as far as the store is concerned: its own process and Store, driven by JSON lines on stdin.
_PEER = """
import json, sys, threading
from playground.store import Store
store = Store(sys.argv[1] if sys.argv[1] != "-" else None, url=sys.argv[2] if sys.argv[2] != "-" else None)
print(json.dumps({"ready": True}), flush=True)
def verdict(mode):
    return {"mode": mode, "status": "accepted", "passed": 1, "total": 1, "elapsed_ms": 1.0}
for line in sys.stdin:
    ask = json.loads(line)
    op = ask["op"]
    if op == "save_draft":
        store.save_draft(ask["learner"], ask["problem"], ask["code"]); reply = None
    elif op == "load_draft":
        reply = store.load_draft(ask["learner"], ask["problem"])
    elif op == "add_submission":
        reply = store.add_submission(ask["learner"], ask["problem"], ask["code"], verdict("submit"))
    elif op == "history":
        reply = [r.code for r in store.submissions(ask["learner"], ask["problem"], limit=10000)]
    elif op == "hammer":
        barrier = threading.Barrier(ask["threads"])
        failures = []
        def work(t):
            try:
                barrier.wait(timeout=60)
                for i in range(ask["ops"]):
                    code = f"{ask['name']} {t} {i}"
                    store.add_submission(ask["learner"], "shared", code, verdict("run"))
                    store.save_draft(ask["learner"], f"draft-{ask['name']}-{t}", code)
            except Exception as exc:
                failures.append(repr(exc))
        threads = [threading.Thread(target=work, args=(t,)) for t in range(ask["threads"])]
        for th in threads: th.start()
        for th in threads: th.join()
        reply = failures
    else:
        break
    print(json.dumps({"reply": reply}), flush=True)
store.close()
"""


class Peer:
    """One store process: ask() sends an operation and returns its reply."""

    def __init__(self, target: Target) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _PEER, str(target.folder) if target.folder else "-", target.url or "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )

    def send(self, **ask) -> None:
        """Send an operation without waiting for its reply."""
        self.process.stdin.write(json.dumps(ask) + "\n")
        self.process.stdin.flush()

    def receive(self):
        """The next reply; fails with the peer's stderr when it died."""
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=30)
            pytest.fail(f"the store process died: {self.process.stderr.read()[-2000:]}")
        message = json.loads(line)
        return message.get("reply")

    def ask(self, **ask):
        """Send an operation and wait for its reply."""
        self.send(**ask)
        return self.receive()

    def close(self) -> None:
        """Ask the process to finish, and make sure it has."""
        try:
            self.process.stdin.close()
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


def test_two_server_processes_share_one_truth(target):
    peers = [Peer(target), Peer(target)]
    try:
        one, two = peers
        assert one.receive() is None and two.receive() is None  # both opened (and raced to migrate)
        one.ask(op="save_draft", learner=ALICE, problem="p", code="typed in server one")
        assert two.ask(op="load_draft", learner=ALICE, problem="p") == "typed in server one"
        two.ask(op="add_submission", learner=ALICE, problem="p", code="submitted in server two")
        assert one.ask(op="history", learner=ALICE, problem="p") == ["submitted in server two"]
        assert one.ask(op="load_draft", learner=ALICE, problem="p") == "submitted in server two"

        threads_n, ops = 4, 15
        for name, peer in (("one", one), ("two", two)):
            peer.send(op="hammer", learner=BOB, name=name, threads=threads_n, ops=ops)
        assert one.receive() == [] and two.receive() == []
        expected = sorted(f"{n} {t} {i}" for n in ("one", "two") for t in range(threads_n) for i in range(ops))
        assert sorted(one.ask(op="history", learner=BOB, problem="shared")) == expected
        assert sorted(two.ask(op="history", learner=BOB, problem="shared")) == expected
        for n in ("one", "two"):
            for t in range(threads_n):
                assert one.ask(op="load_draft", learner=BOB, problem=f"draft-{n}-{t}") == f"{n} {t} {ops - 1}"
    finally:
        for peer in peers:
            peer.close()


# --- failures: SQLite ---------------------------------------------------------------------


def test_data_folder_blocked_by_a_file(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("I am a file")
    for where in (blocker, blocker / "data"):
        with pytest.raises(StoreError, match="cannot be created because a file is in the way"):
            Store(where)
        s, message = Store.open_or_error(where)
        assert s is None and "PLAYGROUND_DATA_DIR" in message
    assert blocker.read_text() == "I am a file"


def test_open_or_error_returns_the_store_when_all_is_well(tmp_path):
    s, message = Store.open_or_error(tmp_path)
    assert message is None and isinstance(s, Store)
    s.close()
    s, message = Store.open_or_error("bad\0path")
    assert s is None and "not a usable path" in message


_READ_ONLY_PROBE = """
import os, sys
from playground.store import Store, StoreError
if os.geteuid() == 0:
    # Everything is imported while root: the interpreter may live where "nobody" cannot read.
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
try:
    store = Store(sys.argv[1])
    try:
        store.save_draft(sys.argv[2], "p", "x")
    finally:
        store.close()
except StoreError as exc:
    print(exc, end="")
else:
    print("saved", end="")
"""


def _as_unprivileged_user(folder: Path) -> str:
    """Open the store in folder and save a draft without root; "saved" or the StoreError message."""
    # A fresh interpreter, not a fork: the test process may already run JAX's threads.
    result = subprocess.run(
        [sys.executable, "-c", _READ_ONLY_PROBE, str(folder), ALICE],
        capture_output=True, text=True, timeout=120, cwd=str(ROOT),
    )
    assert result.returncode == 0, f"the unprivileged probe failed: {result.stderr[-500:]}"
    return result.stdout


@pytest.mark.skipif(os.name != "posix", reason="needs POSIX permissions")
@pytest.mark.parametrize("locked", ["folder", "file"])
def test_read_only_data_folder_or_file(locked):
    # Root ignores permission bits, so as root the check runs in a child process as "nobody";
    # the folder lives in a fresh world-traversable temp dir because pytest's tmp_path is private to root.
    with tempfile.TemporaryDirectory() as top:
        folder = Path(top) / "data"
        s = Store(folder)
        s.save_draft(BOB, "p", "saved before")
        s.close()
        os.chmod(top, 0o755)
        os.chmod(folder / DB_FILENAME, 0o444 if locked == "file" else 0o644)
        os.chmod(folder, 0o555 if locked == "folder" else 0o777)
        try:
            message = _as_unprivileged_user(folder)
        finally:
            os.chmod(folder, 0o755)
            os.chmod(folder / DB_FILENAME, 0o644)
        assert "is read-only, so your work is not being saved" in message
        assert "make the folder writable" in message
        s = Store(folder)
        try:
            assert s.load_draft(BOB, "p") == "saved before"
        finally:
            s.close()


def _on_every_new_connection(store: Store, pragma: str) -> None:
    """Run a PRAGMA on each connection the store opens from now on (its pool is emptied first)."""
    store.engine.dispose()
    event.listen(store.engine, "connect", lambda conn, _record: conn.execute(pragma))


def test_sqlite_refusing_writes_reads_as_read_only(tmp_path):
    s = Store(tmp_path)
    try:
        s.save_draft(ALICE, "p", "before")
        # query_only makes SQLite fail writes with its real SQLITE_READONLY error.
        _on_every_new_connection(s, "PRAGMA query_only = ON")
        with pytest.raises(StoreError, match="is read-only, so your work is not being saved"):
            s.save_draft(ALICE, "p", "x")
        assert s.load_draft(ALICE, "p") == "before"
    finally:
        s.close()


def test_full_disk_reads_as_full(tmp_path):
    s = Store(tmp_path)
    try:
        pages = sqlite_value(s.path, "PRAGMA page_count")
        # Cap the file at its current size, so SQLite raises its real SQLITE_FULL error on the next growth.
        _on_every_new_connection(s, f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError, match="is full, so your work was not saved"):
            s.add_submission(ALICE, "p", "x" * MAX_CODE_CHARS, verdict())
    finally:
        s.close()


def test_corrupt_database_is_reported_and_left_untouched(tmp_path):
    db = tmp_path / DB_FILENAME
    garbage = bytes(range(256)) * 64
    db.write_bytes(garbage)
    with pytest.raises(StoreError, match="not a readable progress database.*left untouched"):
        Store(tmp_path)
    s, message = Store.open_or_error(tmp_path)
    assert s is None and "move it aside" in message
    assert db.read_bytes() == garbage
    assert sorted(p.name for p in tmp_path.iterdir()) == [DB_FILENAME]


def test_locked_database_is_reported_as_busy(tmp_path):
    s = Store(tmp_path, busy_timeout_ms=50)
    s.save_draft(ALICE, "p", "before the lock")
    other = sqlite3.connect(s.path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreError, match="is busy .* wait a moment and try again"):
            s.save_draft(ALICE, "p", "during the lock")
        other.execute("ROLLBACK")
        s.save_draft(ALICE, "p", "after the lock")
        assert s.load_draft(ALICE, "p") == "after the lock"
    finally:
        other.close()
        s.close()


def test_opening_a_locked_database_is_reported_as_busy(tmp_path):
    conn = sqlite3.connect(tmp_path / DB_FILENAME, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("CREATE TABLE holding (x)")
        s, message = Store.open_or_error(tmp_path, busy_timeout_ms=50)
        assert s is None and "is busy" in message
    finally:
        conn.close()


def test_closed_store_says_so(target):
    s = target.open()
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.load_draft(ALICE, "p")


def test_nul_in_code_is_refused_on_every_backend(store):
    with pytest.raises(StoreError, match="NUL character"):
        store.save_draft(ALICE, "p", "a = 1\x00")
    assert store.load_draft(ALICE, "p") is None


# --- failures: PostgreSQL -----------------------------------------------------------------


@pytest.mark.postgres
def test_unreachable_server_is_reported_with_advice():
    url = f"postgresql+psycopg://someone:secret@127.0.0.1:{free_port()}/playground"  # nothing listens there
    s, message = Store.open_or_error(url=url)
    assert s is None
    assert "cannot be reached" in message and "your code is still judged" in message
    assert "PLAYGROUND_DATABASE_URL" in message and "secret" not in message


@pytest.mark.postgres
def test_wrong_password_is_reported_with_advice(postgres_server):
    name = postgres_server.new_database()
    s, message = Store.open_or_error(url=postgres_server.url(name, password="not-the-password"))
    assert s is None
    assert "refused the playground's user name or password" in message and "PLAYGROUND_DATABASE_URL" in message
    assert "not-the-password" not in message


@pytest.mark.postgres
def test_missing_database_is_reported_with_advice(postgres_server):
    s, message = Store.open_or_error(url=postgres_server.url("no_such_database"))
    assert s is None and "does not exist" in message and "create it" in message


@pytest.mark.postgres
def test_read_only_database_reads_as_read_only(postgres_server):
    name = postgres_server.new_database()
    s = Store(url=postgres_server.url(name))
    try:
        s.save_draft(ALICE, "p", "before")
        postgres_server.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        s.engine.dispose()  # the setting applies to new sessions
        with pytest.raises(StoreError, match="is read-only, so your work is not being saved"):
            s.save_draft(ALICE, "p", "after")
        assert s.load_draft(ALICE, "p") == "before"
        postgres_server.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = off')
        s.engine.dispose()
        s.save_draft(ALICE, "p", "after")
        assert s.load_draft(ALICE, "p") == "after"
    finally:
        s.close()


@pytest.mark.postgres
def test_server_going_away_and_coming_back(postgres_server):
    name = postgres_server.new_database()
    s = Store(url=postgres_server.url(name))
    try:
        s.save_draft(ALICE, "p", "before the outage")
        postgres_server.pause()
        try:
            with pytest.raises(StoreError, match="cannot be reached"):
                s.save_draft(ALICE, "p", "during the outage")
            with pytest.raises(StoreError, match="cannot be reached"):
                s.load_draft(ALICE, "p")
        finally:
            postgres_server.resume()
        # The same Store recovers on its own once the server is back.
        assert s.load_draft(ALICE, "p") == "before the outage"
        s.save_draft(ALICE, "p", "after the outage")
        assert s.load_draft(ALICE, "p") == "after the outage"
    finally:
        s.close()


# --- the page while the store is away -----------------------------------------------------


def test_code_typed_while_the_store_was_away_is_kept_and_saved_when_it_is_back(tmp_path):
    from playground.web.safe_store import SafeStore
    from playground.web.session import PageState, load_source

    starter = "def f():\n    pass\n"
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the data folder should be")
    s, error = Store.open_or_error(blocker)
    away = SafeStore(s, error)
    assert "nothing is saved until the database is back" in away.warnings[0]
    state = PageState(ALICE)
    load_source(state, away, "p", starter)
    assert state.sources["p"] == starter and not state.needs_saving("p")
    state.sources["p"] = "typed while the store was away"
    load_source(state, away, "p", starter)  # a later run, store still away: the typed code stays
    assert state.sources["p"] == "typed while the store was away" and not state.needs_saving("p")

    blocker.unlink()
    back = SafeStore(Store(blocker))
    try:
        load_source(state, back, "p", starter)
        assert state.sources["p"] == "typed while the store was away"
        assert state.needs_saving("p")  # autosave now writes it
        assert back.save_draft(ALICE, "p", state.sources["p"])
        assert back.store.load_draft(ALICE, "p") == "typed while the store was away"
        assert state.notice is None
    finally:
        back.store.close()


@pytest.mark.postgres
def test_the_page_asks_an_unreachable_server_once_per_run(postgres_server):
    from playground.store import StoreUnreachable
    from playground.web.safe_store import SafeStore

    name = postgres_server.new_database()
    s = Store(url=postgres_server.url(name))
    try:
        s.save_draft(ALICE, "p", "saved")
        postgres_server.pause()
        try:
            with pytest.raises(StoreUnreachable):
                s.load_draft(ALICE, "p")
            page = SafeStore(s)
            assert page.load_draft(ALICE, "p") == (None, False)
            assert page.unreachable and "cannot be reached" in page.warnings[0]
            assert page.submissions(ALICE, "p") == [] and len(page.warnings) == 1
        finally:
            postgres_server.resume()
        page = SafeStore(s)  # the next run asks again, and the server is back
        assert page.load_draft(ALICE, "p") == ("saved", True) and not page.warnings
    finally:
        s.close()
