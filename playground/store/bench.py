"""Store throughput: draft saves and submission inserts per second, today's store beside the hand-written one.

    python -m playground.store.bench [--count N] [--database-url postgresql+psycopg://...] [--baseline-ref REF]

The baseline is the hand-written SQLite store read from git (REF:playground/store/sqlite_store.py), so both
run in the same process on the same disk; it knew only SQLite, so PostgreSQL has no "before" row.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from playground.judge.verdict import Figures, Panel
from playground.store.store import Store

BASELINE_REF = "bd8f7ca"  # the last commit with the hand-written SQLite store
BASELINE_PATH = "playground/store/sqlite_store.py"
LEARNER = "bench_learner_01"


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


def baseline_module(ref: str) -> ModuleType:
    """The hand-written store as it was at ref, loaded from git."""
    source = subprocess.run(
        ["git", "show", f"{ref}:{BASELINE_PATH}"], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout
    path = Path(tempfile.mkdtemp(prefix="store-baseline-")) / "baseline_sqlite_store.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("baseline_sqlite_store", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def rate(count: int, action: Callable[[int], object]) -> float:
    """Calls per second of action(0..count-1)."""
    start = time.perf_counter()
    for i in range(count):
        action(i)
    return count / (time.perf_counter() - start)


def measure(store, count: int, *, with_figures: bool) -> tuple[float, float]:
    """(draft saves/s, submission inserts/s) on an open store."""
    code = "import jax\nfrom flax import nnx\n\n" + "x = 1\n" * 40
    drafts = rate(count, lambda i: store.save_draft(LEARNER, f"problem_{i % 10}", f"{code}# {i}\n"))
    figures = sample_figures() if with_figures else None

    def insert(i: int) -> object:
        if figures is None:
            return store.add_submission(LEARNER, f"problem_{i % 10}", f"{code}# {i}\n", sample_verdict(i))
        return store.add_submission(LEARNER, f"problem_{i % 10}", f"{code}# {i}\n", sample_verdict(i), figures)

    return drafts, rate(count, insert)


def main(argv: list[str] | None = None) -> int:
    """Print draft saves/s and submission inserts/s for each store and backend."""
    parser = argparse.ArgumentParser(prog="python -m playground.store.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="operations of each kind per row (default 300)")
    parser.add_argument("--database-url", action="append", default=[], help="also measure this database (repeatable)")
    parser.add_argument("--baseline-ref", default=BASELINE_REF, help="git ref holding the hand-written store")
    args = parser.parse_args(argv)

    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="store-bench-") as top:
        try:
            old = baseline_module(args.baseline_ref).Store(Path(top) / "before")
        except (subprocess.CalledProcessError, OSError) as exc:
            print(f"baseline unavailable ({exc}); measuring today's store only", file=sys.stderr)
        else:
            rows.append(("before: hand-written, SQLite", *measure(old, args.count, with_figures=False)))
            old.close()
        new = Store(Path(top) / "after")
        rows.append(("after: SQLAlchemy, SQLite", *measure(new, args.count, with_figures=True)))
        new.close()
    for url in args.database_url:
        store = Store(url=url)
        backend = store.backend
        rows.append((f"after: SQLAlchemy, {backend}", *measure(store, args.count, with_figures=True)))
        store.close()

    print(f"{'store':<34} {'draft saves/s':>14} {'submissions/s':>14}   ({args.count} of each, one thread)")
    for name, drafts, subs in rows:
        print(f"{name:<34} {drafts:>14,.0f} {subs:>14,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
