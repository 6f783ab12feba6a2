"""Store latency: draft saves and submission inserts, today's store beside a plain sqlite3 baseline.

    python -m playground.store.bench [--count N] [--database-url postgresql+psycopg://...]

Every operation is timed on its own; each row gives the median and the 95th percentile in
milliseconds, and the operations per second over the whole run, on one thread.

The baseline is the floor any store could reach on the same disk: the same rows written with the
standard library's sqlite3 and nothing else. Same tables and indexes as the store's schema, same
bytes in each row (the verdict's JSON, the figures' stored JSON, the code and its hash), one
connection in WAL mode, one BEGIN IMMEDIATE transaction per operation, a submission also saving
its code as the draft, as the store does; none of the store's checks, caps, quota or SQLAlchemy.
It lives in this file, so the benchmark needs no git history (a shallow clone runs it).
PostgreSQL has no baseline row.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from playground.judge.verdict import Figures, Panel
from playground.store.figures import figures_to_text
from playground.store.records import now, sha256
from playground.store.schema import metadata
from playground.store.store import Store

LEARNER = "bench_learner_01"
CODE = "import jax\nfrom flax import nnx\n\n" + "x = 1\n" * 40


def sample_verdict(i: int) -> dict:
    """A verdict the size of a typical Submit: a few visible tests with arrays, a few hidden ones."""
    visible = [
        {"name": f"example {k}", "hidden": False, "passed": True, "message": "ok", "max_abs_error": 1e-7,
         "input": {"seed": k, "x": [[0.1 * j for j in range(8)] for _ in range(4)]},
         "expected": [[0.25 * j for j in range(4)] for _ in range(4)], "got": [[0.25 * j for j in range(4)] for _ in range(4)]}
        for k in range(3)
    ]
    hidden = [{"name": f"hidden {k}", "hidden": True, "passed": True, "message": "ok", "max_abs_error": None}
              for k in range(5)]
    return {"version": 1, "problem": "module_basics_forward", "file": "solution.py", "mode": "submit",
            "status": "accepted", "message": "All tests passed.", "hint": None, "passed": 8, "total": 8,
            "tests": visible + hidden, "stdout": "", "warnings": [], "elapsed_ms": 40.0 + i % 7}


def sample_figures() -> list[Figures]:
    """Chart data for the three visible tests of sample_verdict."""
    kernel = [[0.01 * (r * 4 + c) for c in range(4)] for r in range(8)]
    return [
        Figures(f"example {k}", kernel, kernel, None, [0.5] * 16, [0.5] * 16, [Panel("bars", "bias", [0.1] * 4, [0.1] * 4)])
        for k in range(3)
    ]


class PlainSqliteStore:
    """The baseline: the store's two writes, the same rows, done with sqlite3 alone (see the module's docstring)."""

    def __init__(self, path: Path) -> None:
        """Create the store's tables and indexes in a new SQLite file at path."""
        self._conn = sqlite3.connect(path, isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout = 5000")
        self._conn.execute("PRAGMA journal_mode = WAL").fetchone()
        dialect = sqlite_dialect.dialect()
        for table in metadata.sorted_tables:
            self._conn.execute(str(CreateTable(table).compile(dialect=dialect)))
            for index in table.indexes:
                self._conn.execute(str(CreateIndex(index).compile(dialect=dialect)))

    def save_draft(self, learner_id: str, problem_id: str, code: str) -> None:
        """Insert or replace the learner's draft for the problem."""
        with self._write():
            self._upsert_draft(learner_id, problem_id, code, now())

    def add_submission(
        self, learner_id: str, problem_id: str, code: str, verdict: dict, figures: Sequence[Figures] | None = None
    ) -> int:
        """Insert the submission's row and save its code as the draft; its id."""
        created_at = now()
        row = (learner_id, problem_id, created_at, verdict["mode"], verdict["status"], verdict["passed"],
               verdict["total"], float(verdict["elapsed_ms"]), code, sha256(code),
               json.dumps(verdict, ensure_ascii=False), figures_to_text(figures))
        with self._write():
            cursor = self._conn.execute(
                "INSERT INTO submissions (learner_id, problem_id, created_at, mode, status, passed, total, elapsed_ms,"
                " code, code_sha256, verdict, figures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            self._upsert_draft(learner_id, problem_id, code, created_at)
        return int(cursor.lastrowid)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def _upsert_draft(self, learner_id: str, problem_id: str, code: str, now: str) -> None:
        self._conn.execute(
            "INSERT INTO drafts (learner_id, problem_id, code, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (learner_id, problem_id) DO UPDATE SET code = excluded.code, updated_at = excluded.updated_at",
            (learner_id, problem_id, code, now),
        )

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")


@dataclass(frozen=True)
class Timings:
    """Seconds each operation took, in order."""

    seconds: list[float]

    @property
    def median_ms(self) -> float:
        """The median, in milliseconds."""
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        """The 95th percentile, in milliseconds."""
        return statistics.quantiles(self.seconds, n=20, method="inclusive")[18] * 1000

    @property
    def per_second(self) -> float:
        """Operations per second over the whole run."""
        return len(self.seconds) / sum(self.seconds)


def timed(count: int, action: Callable[[int], object]) -> Timings:
    """Each call of action(0..count-1), timed on its own."""
    seconds = []
    for i in range(count):
        started = time.perf_counter()
        action(i)
        seconds.append(time.perf_counter() - started)
    return Timings(seconds)


def measure(store: Store | PlainSqliteStore, count: int) -> tuple[Timings, Timings]:
    """(draft saves, submission inserts) on an open store, each submission with sample_figures()."""
    drafts = timed(count, lambda i: store.save_draft(LEARNER, f"problem_{i % 10}", f"{CODE}# {i}\n"))
    figures = sample_figures()
    inserts = timed(
        count, lambda i: store.add_submission(LEARNER, f"problem_{i % 10}", f"{CODE}# {i}\n", sample_verdict(i), figures)
    )
    return drafts, inserts


def main(argv: list[str] | None = None) -> int:
    """Print each store's draft-save and submission-insert times, the baseline first."""
    parser = argparse.ArgumentParser(prog="python -m playground.store.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="operations of each kind per row (default 300)")
    parser.add_argument("--database-url", action="append", default=[], help="also measure this database (repeatable)")
    args = parser.parse_args(argv)
    if args.count < 2:
        parser.error("--count must be at least 2 (a percentile needs two timings)")

    rows: list[tuple[str, Timings, Timings]] = []
    with tempfile.TemporaryDirectory(prefix="store-bench-") as top:
        baseline = PlainSqliteStore(Path(top) / "baseline.sqlite3")
        rows.append(("baseline: sqlite3 alone, SQLite", *measure(baseline, args.count)))
        baseline.close()
        store = Store(Path(top) / "store")
        rows.append(("store: SQLAlchemy, SQLite", *measure(store, args.count)))
        store.close()
    for url in args.database_url:
        store = Store(url=url)
        rows.append((f"store: SQLAlchemy, {store.backend}", *measure(store, args.count)))
        store.close()

    print(f"{args.count} of each operation, one thread; ms per operation as median / 95th percentile")
    print(f"{'':<34} {'draft save, ms':>16} {'drafts/s':>9} {'submission, ms':>16} {'submissions/s':>14}")
    for name, drafts, inserts in rows:
        print(f"{name:<34} {drafts.median_ms:>7.3f} / {drafts.p95_ms:<6.3f} {drafts.per_second:>9,.0f}"
              f" {inserts.median_ms:>7.3f} / {inserts.p95_ms:<6.3f} {inserts.per_second:>14,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
