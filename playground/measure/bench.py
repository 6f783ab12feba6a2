"""Benchmark: the judge against a cold subprocess doing the same work, measured in one run."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from typing import Any

from playground.measure.bench_spellings import spelling
from playground.problems import get_problem

PROBLEM = "module_basics_forward"
SPACING_S = 1.5
SETTLE_S = 30.0  # the longest the benchmark waits for a problem's warm template before timing

# The naive design: a fresh interpreter per submission that imports jax and runs every test.
COLD_SCRIPT = """
import json, sys
import jax.numpy as jnp
from flax import nnx
job = json.load(sys.stdin)
namespace = {"__name__": "__submission__"}
exec(compile(job["source"], "<submission>", "exec"), namespace)
entry = namespace[job["entry_point"]]
outputs = []
for inputs in job["inputs"]:
    args = [
        jnp.asarray(inputs[name], dtype=jnp.float32) if kind.startswith("f32_") else float(inputs[name])
        for name, kind in job["arguments"]
    ]
    value = entry(*args)
    parts = value if isinstance(value, (tuple, list)) and job["parts"] else [value]
    outputs.append([[float(v) for v in jnp.ravel(jnp.asarray(part))] for part in parts])
print(json.dumps(outputs))
"""

TARGETS = {
    "spaced_p50_ms": 60.0,
    "spaced_p95_ms": 150.0,
    "speedup_vs_cold": 25.0,
    "burst_verdicts_per_s": 3.0,
    "first_verdict_s": 3.0,
}


def percentile(values: list[float], fraction: float) -> float:
    """The value at that fraction of the sorted values (the nearest rank; 0.95 for p95)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _require_accepted(verdict: Any) -> None:
    if not verdict.accepted:
        raise RuntimeError(f"the benchmark's reference submission was not accepted: {verdict.message}")


def measure_cold(problem_id: str, source: str, runs: int) -> list[float]:
    """Seconds for a cold `python` process to run the source on every test, per run."""
    problem = get_problem(problem_id)
    job = json.dumps(
        {
            "source": source,
            "entry_point": problem.entry_point,
            "arguments": [[a.name, a.kind] for a in problem.arguments],
            "parts": bool(problem.output_names),
            "inputs": [c.inputs for c in problem.cases],
        }
    )
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", COLD_SCRIPT],
            input=job.encode(),
            capture_output=True,
            timeout=120,
            env={"JAX_PLATFORMS": "cpu", "PATH": "/usr/bin:/bin"},
        )
        times.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise RuntimeError(f"cold baseline failed: {result.stderr.decode()[-500:]}")
    return times


def cost_summary(verdicts: list[Any]) -> dict[str, Any]:
    """Per submission: the XLA compiles and cache reads the learner's code caused, and who ran it."""
    costs = [getattr(v, "cost", None) or {} for v in verdicts]
    compiles = [c["compiles"] for c in costs if isinstance(c.get("compiles"), int)]
    reads = [c["cache_reads"] for c in costs if isinstance(c.get("cache_reads"), int)]
    return {
        "compiles_median": statistics.median(compiles) if compiles else None,
        "compiles_max": max(compiles) if compiles else None,
        "cache_reads_median": statistics.median(reads) if reads else None,
        "from_warm_template": sum(1 for c in costs if c.get("template")),
        "rerun_on_fresh_worker": sum(1 for c in costs if c.get("rerun_fresh")),
    }


def spellings_for(problem: str, which: str, source_file: str | None = None) -> dict[str, str]:
    """The answers to time, by label: the reference's spelling, a learner's, both, or one file."""
    if source_file is not None:
        with open(source_file, encoding="utf-8") as handle:
            return {source_file: handle.read()}
    found = {"reference": get_problem(problem).solution_source()}
    learner = spelling(problem)
    if learner is not None:
        found["learner"] = learner
    return found if which == "both" else {k: v for k, v in found.items() if k == which}


def run_benchmarks(
    spaced: int = 20, burst: int = 20, cold: int = 3, problem: str = PROBLEM, which: str = "both", source_file: str | None = None
) -> list[dict[str, Any]]:
    """run_benchmark for each spelling asked for, each with its own judge and cold baseline."""
    return [
        dict(run_benchmark(spaced, burst, cold, problem, source), spelling=label)
        for label, source in spellings_for(problem, which, source_file).items()
    ]


def settle(judge: Any, problem: str, source: str) -> None:
    """Submit, untimed, until a verdict comes from a warm template (the pools have settled), or SETTLE_S pass.

    One submission only when templates are off or the verdict does not say (a queue judge's).
    """
    deadline = time.monotonic() + SETTLE_S
    while True:
        cost = getattr(judge.submit(problem, source), "cost", None)
        if not getattr(judge, "warm_templates", True) or not cost or cost.get("template") or time.monotonic() > deadline:
            return
        time.sleep(SPACING_S)


def run_benchmark(spaced: int = 20, burst: int = 20, cold: int = 3, problem: str = PROBLEM, source: str | None = None) -> dict[str, Any]:
    """Measure first verdict, spaced latency, back-to-back throughput and the cold baseline."""
    from playground.judge import Judge

    source = source if source is not None else get_problem(problem).solution_source()
    started = time.perf_counter()
    judge = Judge(problems=[problem])
    try:
        judge.start()
        _require_accepted(judge.submit(problem, source))
        first_verdict_s = time.perf_counter() - started
        settle(judge, problem, source)
        time.sleep(SPACING_S * 2)
        spaced_verdicts = _accepted_verdicts(judge, problem, source, spaced, SPACING_S)
        time.sleep(SPACING_S * 2)
        burst_started = time.perf_counter()
        burst_verdicts = _accepted_verdicts(judge, problem, source, burst, 0.0)
        burst_s = time.perf_counter() - burst_started
    finally:
        judge.close()
    cold_s = measure_cold(problem, source, cold)
    results = {
        "problem": problem,
        "tests_per_submission": len(get_problem(problem).cases),
        "first_verdict_s": round(first_verdict_s, 3),
        "spaced": {"count": spaced, "spacing_s": SPACING_S, **latency_summary(spaced_verdicts)},
        "burst": {"count": burst, "verdicts_per_s": round(burst / burst_s, 2), **latency_summary(burst_verdicts)},
        "cold_subprocess": {"runs": cold, "median_ms": round(statistics.median(cold_s) * 1000, 1)},
    }
    results["speedup_vs_cold"] = round(results["cold_subprocess"]["median_ms"] / results["spaced"]["p50_ms"], 1)
    # Throughput in units of the naive design: how many verdicts in the time one cold process takes.
    results["burst_verdicts_per_cold_process"] = round(results["burst"]["verdicts_per_s"] * statistics.median(cold_s), 1)
    results["targets"] = TARGETS
    results["meets_targets"] = _meets_targets(results)
    return results


def _accepted_verdicts(judge: Any, problem: str, source: str, count: int, spacing_s: float) -> list[Any]:
    """count verdicts of the source, one after another, spacing_s apart; each must be accepted."""
    verdicts = []
    for _ in range(count):
        verdict = judge.submit(problem, source)
        _require_accepted(verdict)
        verdicts.append(verdict)
        if spacing_s:
            time.sleep(spacing_s)
    return verdicts


def latency_summary(verdicts: list[Any]) -> dict[str, Any]:
    """The verdicts' own elapsed times (median, p95, max) and what the learner's code cost."""
    elapsed = [v.elapsed_ms for v in verdicts]
    return {
        "p50_ms": round(statistics.median(elapsed), 1),
        "p95_ms": round(percentile(elapsed, 0.95), 1),
        "max_ms": round(max(elapsed), 1),
        "cost": cost_summary(verdicts),
    }


def _meets_targets(results: dict[str, Any]) -> dict[str, bool]:
    return {
        "spaced_p50_ms": results["spaced"]["p50_ms"] <= TARGETS["spaced_p50_ms"],
        "spaced_p95_ms": results["spaced"]["p95_ms"] <= TARGETS["spaced_p95_ms"],
        "speedup_vs_cold": results["speedup_vs_cold"] >= TARGETS["speedup_vs_cold"],
        "burst_verdicts_per_s": results["burst"]["verdicts_per_s"] >= TARGETS["burst_verdicts_per_s"],
        "first_verdict_s": results["first_verdict_s"] <= TARGETS["first_verdict_s"],
    }
