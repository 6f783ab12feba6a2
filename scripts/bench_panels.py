"""What each problem's own panels cost per Submit: the same judge, panels off and on, interleaved.

    .venv/bin/python scripts/bench_panels.py [--rounds N] [PROBLEM ...]

One Judge per problem; after its warm template serves, the reference is submitted 2N times,
alternating with the problem's panels switched off (no probes in the job, nothing drawn) and on,
so both halves share the machine's load. Prints the verdicts' elapsed_ms (median and p95) for
each half, the difference of the medians, and the compile and fresh-worker counts of the panels'
half (both must stay 0: recording must not compile or hand a job back).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import playground.judge.grading as grading  # noqa: E402
import playground.judge.local as local  # noqa: E402
from playground.judge import Judge  # noqa: E402
from playground.problems import get_problem  # noqa: E402
from playground.problems.panels import panels_for, problem_probes  # noqa: E402

SPACING_S = 0.5
SETTLE_S = 60.0


def switch(on: bool) -> None:
    """Panels on: the problem's own probes and drawing; off: a job and a verdict without them."""
    local.problem_probes = problem_probes if on else (lambda problem_id: None)
    grading.panels_for = panels_for if on else (lambda problem_id: None)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench(problem: str, rounds: int) -> None:
    source = get_problem(problem).solution_source()
    with Judge(problems=[problem]) as judge:
        judge.wait_until_ready(problem, 300)
        deadline = time.monotonic() + SETTLE_S
        while time.monotonic() < deadline:  # until a verdict comes from the warm template
            if (getattr(judge.submit(problem, source), "cost", None) or {}).get("template"):
                break
            time.sleep(SPACING_S)
        elapsed: dict[bool, list[float]] = {False: [], True: []}
        compiles, fresh, not_template, failed = 0, 0, 0, 0
        for round_number in range(rounds):
            for on in (round_number % 2 == 0, round_number % 2 == 1):
                switch(on)
                verdict = judge.submit(problem, source)
                time.sleep(SPACING_S)
                if not verdict.accepted:
                    failed += 1  # e.g. an internal_error on a starved machine: not a cost of either half
                    continue
                elapsed[on].append(verdict.elapsed_ms)
                cost = getattr(verdict, "cost", None) or {}
                if on:
                    compiles += int(cost.get("compiles") or 0)
                    fresh += int(bool(cost.get("rerun_fresh")))
                    not_template += int(not cost.get("template"))
        switch(True)
    off, on = elapsed[False], elapsed[True]
    if not off or not on:
        print(f"{problem}: no accepted verdict in one half ({failed} not accepted): the machine is too loaded to compare")
        return
    print(
        f"{problem}: panels off median {statistics.median(off):.1f} ms p95 {percentile(off, 0.95):.1f} ms (n={len(off)}); "
        f"on median {statistics.median(on):.1f} ms p95 {percentile(on, 0.95):.1f} ms (n={len(on)}); "
        f"difference of medians {statistics.median(on) - statistics.median(off):+.1f} ms; "
        f"with panels: compiles {compiles}, rerun_on_fresh_worker {fresh}, not from a template {not_template}; "
        f"not accepted (either half) {failed}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problems", nargs="*", default=["causal_attention", "training_step", "conv_feature_map"])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    for problem in args.problems:
        bench(problem, args.rounds)


if __name__ == "__main__":
    main()
