"""Tests for the SQLite store: schema migrations, isolation, caps, export/import, claims, threads and failures."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from playground.store import sqlite_store as store_module
from playground.store.sqlite_store import (
    DB_FILENAME,
    MAX_CODE_CHARS,
    MAX_VERDICT_BYTES,
    SCHEMA_VERSION,
    ProgressState,
    Store,
    StoreError,
    SubmissionRecord,
    is_valid_learner_id,
    new_learner_id,
)

# The schema as version 1 shipped it, written out by hand so the upgrade path is tested against
# what old databases really contain, not against whatever the module says today.
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


def verdict(
    status: str = "accepted",
    mode: str = "submit",
    passed: int = 2,
    total: int = 2,
    **extra,
) -> dict:
    """A judge verdict dict shaped like playground.judge.verdict.Verdict.to_dict()."""
    return {
        "version": 1,
        "problem": "p",
        "file": "solution.py",
        "mode": mode,
        "status": status,
        "message": "All tests passed."
        if status == "accepted"
        else "Some tests failed.",
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


@pytest.fixture
def store(tmp_path: Path):
    """A fresh store in its own folder, closed afterwards."""
    s = Store(tmp_path / "data")
    yield s
    s.close()


def table_columns(path: Path, table: str) -> set[str]:
    """Column names of a table, read with a separate connection."""
    conn = sqlite3.connect(path)
    try:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    finally:
        conn.close()


# --- learner ids --------------------------------------------------------------------------


def test_new_learner_ids_are_valid_and_distinct():
    ids = {new_learner_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(is_valid_learner_id(i) for i in ids)


@pytest.mark.parametrize(
    "bad",
    ["", "short", "x" * 65, "has space1", "semi;colon", "ünïcode12", None, 12345678],
)
def test_invalid_learner_ids_are_rejected(store, bad):
    assert not is_valid_learner_id(bad)
    with pytest.raises(StoreError, match="learner id is not valid"):
        store.load_draft(bad, "p")


def test_learner_id_length_bounds():
    assert is_valid_learner_id("a" * 8)
    assert is_valid_learner_id("A-z_9" * 12 + "abcd")
    assert not is_valid_learner_id("a" * 7)


# --- schema -------------------------------------------------------------------------------


def test_fresh_database_is_created_at_latest_version_in_wal_mode(tmp_path):
    folder = tmp_path / "nested" / "data"
    s = Store(folder)
    try:
        assert s.path == folder / DB_FILENAME
        assert s.path.is_file()
    finally:
        s.close()
    conn = sqlite3.connect(folder / DB_FILENAME)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    assert {"elapsed_ms", "code_sha256"} <= table_columns(
        folder / DB_FILENAME, "submissions"
    )


def test_data_dir_comes_from_environment_then_defaults_to_cwd(tmp_path, monkeypatch):
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


def test_reopening_keeps_data(tmp_path):
    s = Store(tmp_path)
    s.save_draft(ALICE, "p", "x = 1")
    s.close()
    s = Store(tmp_path)
    try:
        assert s.load_draft(ALICE, "p") == "x = 1"
    finally:
        s.close()


def test_migrates_version_1_database_and_keeps_its_rows(tmp_path):
    db = tmp_path / DB_FILENAME
    conn = sqlite3.connect(db)
    conn.executescript(V1_SQL)
    conn.execute(
        "INSERT INTO drafts VALUES (?, ?, ?, ?)",
        (ALICE, "p1", "draft code", "2024-01-01T00:00:00.000000+00:00"),
    )
    conn.execute(
        "INSERT INTO submissions (learner_id, problem_id, created_at, mode, status, passed, total, code, verdict)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ALICE,
            "p1",
            "2024-01-02T00:00:00.000000+00:00",
            "submit",
            "accepted",
            2,
            2,
            "old code",
            json.dumps(verdict(elapsed_ms=42.0)),
        ),
    )
    conn.commit()
    conn.close()
    assert "elapsed_ms" not in table_columns(db, "submissions")

    s = Store(tmp_path)
    try:
        assert s.load_draft(ALICE, "p1") == "draft code"
        [old] = s.submissions(ALICE)
        assert (old.code, old.status, old.mode, old.passed, old.total) == (
            "old code",
            "accepted",
            "submit",
            2,
            2,
        )
        assert old.elapsed_ms == 42.0  # backfilled from the stored verdict
        assert s.progress(ALICE) == {"p1": ProgressState.SOLVED}
        # The backfilled code hash makes old rows count for import de-duplication.
        assert s.import_json(ALICE, s.export_json(ALICE)) == 0
        new_id = s.add_submission(ALICE, "p1", "new code", verdict())
        assert new_id > old.id
    finally:
        s.close()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        indexes = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index'"
            )
        }
        assert {"submissions_by_learner", "submissions_dedupe"} <= indexes
    finally:
        conn.close()


def test_failed_migration_rolls_back_to_the_old_version(tmp_path, monkeypatch):
    db = tmp_path / DB_FILENAME
    conn = sqlite3.connect(db)
    conn.executescript(V1_SQL)
    conn.close()

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute(
            "ALTER TABLE submissions ADD COLUMN elapsed_ms REAL NOT NULL DEFAULT 0"
        )
        raise sqlite3.OperationalError("simulated failure half way through")

    monkeypatch.setattr(
        store_module, "MIGRATIONS", [store_module.MIGRATIONS[0], broken]
    )
    with pytest.raises(StoreError):
        Store(tmp_path)
    assert "elapsed_ms" not in table_columns(db, "submissions")
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        conn.close()


def test_database_from_a_newer_playground_is_refused(tmp_path):
    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
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


# --- threads ------------------------------------------------------------------------------


def test_many_threads_writing_at_once_lose_nothing(store):
    threads_n, ops = 16, 25
    learners = [new_learner_id() for _ in range(threads_n)]
    shared = new_learner_id()
    barrier = threading.Barrier(threads_n)

    def work(t: int) -> None:
        barrier.wait(timeout=10)
        for i in range(ops):
            store.save_draft(learners[t], f"p{i % 3}", f"draft {t} {i}")
            store.add_submission(
                learners[t], f"p{i % 3}", f"code {t} {i}", verdict(elapsed_ms=float(i))
            )
            store.add_submission(
                shared, "shared", f"shared {t} {i}", verdict(mode="run")
            )
            store.progress(learners[t])

    with ThreadPoolExecutor(max_workers=threads_n) as pool:
        futures = [pool.submit(work, t) for t in range(threads_n)]
    for future in futures:
        future.result()  # re-raises anything a worker hit

    for t, learner in enumerate(learners):
        records = store.submissions(learner, limit=1000)
        assert sorted(r.code for r in records) == sorted(
            f"code {t} {i}" for i in range(ops)
        )
        assert all(
            r.learner_id == learner and r.elapsed_ms == float(r.code.split()[-1])
            for r in records
        )
        # Each thread's own writes are ordered, so each problem's draft is the code of its last submission.
        for p in range(3):
            last = max(i for i in range(ops) if i % 3 == p)
            assert store.load_draft(learner, f"p{p}") == f"code {t} {last}"
    shared_codes = sorted(r.code for r in store.submissions(shared, limit=1000))
    assert shared_codes == sorted(
        f"shared {t} {i}" for t in range(threads_n) for i in range(ops)
    )


# --- failures -----------------------------------------------------------------------------


def test_data_folder_blocked_by_a_file(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("I am a file")
    for target in (blocker, blocker / "data"):
        with pytest.raises(
            StoreError, match="cannot be created because a file is in the way"
        ):
            Store(target)
        s, message = Store.open_or_error(target)
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
from playground.store.sqlite_store import Store, StoreError
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
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(Path(__file__).resolve().parents[1]),
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


def test_sqlite_refusing_writes_reads_as_read_only(store):
    # Reopen the store's connection read-only: SQLite then fails writes with its real SQLITE_READONLY
    # error, which is what a read-only file that was opened anyway produces.
    store._conn.close()
    store._conn = sqlite3.connect(
        f"file:{store.path}?mode=ro",
        uri=True,
        isolation_level=None,
        check_same_thread=False,
    )
    with pytest.raises(
        StoreError, match="is read-only, so your work is not being saved"
    ):
        store.save_draft(ALICE, "p", "x")


def test_full_disk_reads_as_full(store):
    # Cap the file at its current size, so SQLite raises its real SQLITE_FULL error on the next growth.
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="is full, so your work was not saved"):
        store.add_submission(ALICE, "p", "x" * MAX_CODE_CHARS, verdict())


def test_corrupt_database_is_reported_and_left_untouched(tmp_path):
    db = tmp_path / DB_FILENAME
    garbage = bytes(range(256)) * 64
    db.write_bytes(garbage)
    with pytest.raises(
        StoreError, match="not a readable progress database.*left untouched"
    ):
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


def test_closed_store_says_so(tmp_path):
    s = Store(tmp_path)
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.load_draft(ALICE, "p")
