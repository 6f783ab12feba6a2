"""The store benchmark: it runs anywhere (no git history needed), and its baseline writes what the store writes."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from playground.store import DB_FILENAME, Store
from playground.store.bench import CODE, LEARNER, PlainSqliteStore, sample_figures, sample_verdict

ROOT = Path(__file__).resolve().parents[2]
TIMING = r"\d+\.\d{3} / \d+\.\d{3}"


def test_the_benchmark_runs_outside_any_git_checkout_and_prints_medians_and_p95(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_DIR": str(tmp_path / "no-git-here")}
    done = subprocess.run(
        [sys.executable, "-m", "playground.store.bench", "--count", "5"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "median / 95th percentile" in lines[0]
    for name in ("baseline: sqlite3 alone, SQLite", "store: SQLAlchemy, SQLite"):
        [row] = [line for line in lines if line.startswith(name)]
        assert len(re.findall(TIMING, row)) == 2, row


def test_the_baseline_writes_the_same_rows_as_the_store(tmp_path):
    baseline = PlainSqliteStore(tmp_path / "baseline.sqlite3")
    store = Store(tmp_path / "store")
    try:
        for target in (baseline, store):
            target.add_submission(LEARNER, "p", CODE, sample_verdict(3), sample_figures())
            target.save_draft(LEARNER, "q", "a draft")
    finally:
        baseline.close()
        store.close()
    queries = [
        "SELECT learner_id, problem_id, mode, status, passed, total, elapsed_ms, code, code_sha256, verdict, figures"
        " FROM submissions",
        "SELECT learner_id, problem_id, code FROM drafts ORDER BY problem_id",
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
    ]
    for query in queries:
        assert rows(tmp_path / "baseline.sqlite3", query) == rows(tmp_path / "store" / DB_FILENAME, query) != [], query


def rows(path: Path, query: str) -> list[tuple]:
    """The rows a query gives on a SQLite file, read with a connection of its own."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(query).fetchall()
