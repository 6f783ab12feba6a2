"""`python -m playground load`: K simulated learners submit across the track for a fixed time (either mode)."""

from __future__ import annotations

import random
import statistics
import threading
import time
from dataclasses import dataclass
from typing import Any

from playground.judge.verdict import Status
from playground.measure.bench import percentile
from playground.problems import Problem, all_problems

# Each answer is built from the trusted solution, so its right status is known in advance.
WRONG_TAIL = """

_correct_{entry} = {entry}


def {entry}(*args):
    import jax
    import jax.numpy as jnp

    # Every part of the right answer, off by one.
    return jax.tree_util.tree_map(lambda v: jnp.asarray(v, dtype=jnp.float32) + 1.0, _correct_{entry}(*args))
"""
RAISING_TAIL = """

def {entry}(*args):
    raise ValueError("a deliberate mistake of the load driver")
"""
KINDS = (Status.ACCEPTED, Status.WRONG_ANSWER, Status.RUNTIME_ERROR)
WEIGHTS = (0.5, 0.3, 0.2)
RUN_SHARE = 0.3  # learners press Run about one time in three, Submit otherwise


@dataclass
class Sample:
    """One verdict the driver received."""

    problem: str
    mode: str
    expected: Status
    got: Status
    latency_s: float
    message: str


def answers(problem: Problem) -> dict[Status, str]:
    """Sources for a problem whose right status is known: accepted, wrong_answer, runtime_error."""
    solution = problem.solution_source()
    return {
        Status.ACCEPTED: solution,
        Status.WRONG_ANSWER: solution + WRONG_TAIL.format(entry=problem.entry_point),
        Status.RUNTIME_ERROR: solution + RAISING_TAIL.format(entry=problem.entry_point),
    }


def _learner(index: int, judge: Any, track: list[Problem], sources: dict[str, dict[Status, list[str]]],
             stop_at: float, think_s: float, seed: int, samples: list[Sample], lock: threading.Lock) -> None:
    rng = random.Random(seed * 1000 + index)
    position = index % len(track)  # learners spread across the track
    while time.monotonic() < stop_at:
        problem = track[position]
        kind = rng.choices(KINDS, WEIGHTS)[0]
        mode = "run" if rng.random() < RUN_SHARE else "submit"
        started = time.perf_counter()
        verdict = judge.submit(problem.id, rng.choice(sources[problem.id][kind]), mode)
        sample = Sample(problem.id, mode, kind, verdict.status, time.perf_counter() - started, verdict.message)
        with lock:
            samples.append(sample)
        if verdict.accepted and mode == "submit":
            position = (position + 1) % len(track)
        if think_s > 0:
            time.sleep(rng.uniform(0, 2 * think_s))


def _sources(track: list[Problem], spellings_each: int, seed: int) -> dict[str, dict[Status, list[str]]]:
    """Each problem's answers by their right status; the correct ones generated spellings when asked."""
    from playground.corpus.spellings import spellings

    found = {p.id: {kind: [source] for kind, source in answers(p).items()} for p in track}
    for problem in track if spellings_each else []:
        generated = [s.source for s in spellings(problem.id, count=spellings_each, seed=seed)]
        found[problem.id][Status.ACCEPTED] = generated or found[problem.id][Status.ACCEPTED]
    return found


def run_load(
    learners: int,
    seconds: float,
    think_s: float = 0.0,
    seed: int = 0,
    warm: bool = True,
    problems: list[str] | None = None,
    spellings_each: int = 0,
    cold_runs: int = 0,
) -> dict[str, Any]:
    """Drive the judge (local or queue, as Judge() picks) with simulated learners; the figures as a dict.

    With `spellings_each`, a correct answer is one of that many generated spellings of the reference
    (playground.corpus.spellings), not the reference itself. With `cold_runs`, a cold process's
    time on the first problem is measured after the load, and throughput is also given per cold process.
    """
    from playground.measure.bench import measure_cold
    from playground.queue import broker_url
    from playground.queue.celery_app import redacted

    track = _track(problems)
    sources = _sources(track, spellings_each, seed)
    url = broker_url()
    samples, elapsed = _drive(learners, seconds, think_s, seed, warm, track, sources)
    latencies = [s.latency_s * 1000 for s in samples]
    wrong = [s for s in samples if s.got is not s.expected]
    cold: dict[str, Any] = {}
    if cold_runs:
        cold_s = statistics.median(measure_cold(track[0].id, track[0].solution_source(), cold_runs))
        cold = {"cold_process_ms": round(cold_s * 1000, 1), "verdicts_per_cold_process": round(len(samples) / elapsed * cold_s, 1)}
    return {
        "mode": "queue" if url else "local",
        "broker": redacted(url) if url else None,
        "learners": learners,
        "problems": [p.id for p in track],
        "seconds": round(elapsed, 2),
        "verdicts": len(samples),
        "verdicts_per_s": round(len(samples) / elapsed, 2) if elapsed > 0 else 0.0,
        "latency_ms": {
            "p50": round(statistics.median(latencies), 1) if latencies else None,
            "p95": round(percentile(latencies, 0.95), 1) if latencies else None,
            "max": round(max(latencies), 1) if latencies else None,
        },
        "correct_answers": f"{spellings_each} generated spellings each" if spellings_each else "the reference",
        **cold,
        "judged_wrongly": len(wrong),
        "internal_errors": sum(1 for s in samples if s.got is Status.INTERNAL_ERROR),
        "wrong_examples": [
            {"problem": s.problem, "mode": s.mode, "expected": s.expected.value, "got": s.got.value, "message": s.message}
            for s in wrong[:5]
        ],
    }


def _track(problems: list[str] | None) -> list[Problem]:
    """The problems the learners work through, in the track's order (all of them when none are named)."""
    track = sorted(all_problems().values(), key=lambda p: p.order)
    if problems:
        unknown = sorted(set(problems) - {p.id for p in track})
        if unknown:
            raise ValueError(f"unknown problem {unknown[0]!r}; known problems: {', '.join(p.id for p in track)}")
        track = [p for p in track if p.id in problems]
    return track


def _drive(
    learners: int,
    seconds: float,
    think_s: float,
    seed: int,
    warm: bool,
    track: list[Problem],
    sources: dict[str, dict[Status, list[str]]],
) -> tuple[list[Sample], float]:
    """Every verdict the simulated learners received, and the seconds they submitted for."""
    from playground.judge import Judge
    from playground.measure.bench import settle

    with Judge() as judge:
        judge.wait_until_ready(track[0].id, 120)
        if warm:  # untimed: first verdicts compute the expected answers and warm every problem's pool
            for problem in track:
                settle(judge, problem.id, problem.solution_source())
        samples: list[Sample] = []
        lock = threading.Lock()
        started = time.monotonic()
        threads = [
            threading.Thread(target=_learner, args=(i, judge, track, sources, started + seconds, think_s, seed, samples, lock))
            for i in range(learners)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return samples, time.monotonic() - started


def compare_overhead(spaced: int, problem_id: str, spacing_s: float = 1.5) -> dict[str, Any]:
    """Spaced latency of the local judge and of the queue, alternating in one run (needs PLAYGROUND_BROKER_URL)."""
    from playground.judge import Judge, LocalJudge
    from playground.queue import BROKER_ENV, broker_url
    from playground.queue.celery_app import redacted

    url = broker_url()
    if url is None:
        raise ValueError(f"set {BROKER_ENV} (and start a worker) to compare the queue with the local judge")
    if problem_id not in all_problems():
        raise ValueError(f"unknown problem {problem_id!r}; known problems: {', '.join(all_problems())}")
    source = all_problems()[problem_id].solution_source()
    times: dict[str, list[float]] = {"local": [], "queue": []}
    transport: list[float] = []  # queue time minus the worker's own judging: what the queue adds
    with LocalJudge(pool_size=1, problems=[problem_id]) as local, Judge() as queued:
        judges = {"local": local, "queue": queued}
        for judge in judges.values():
            judge.wait_until_ready(problem_id, 120)
            judge.submit(problem_id, source)  # untimed: expected answers, warm pools
        for _ in range(spaced):
            for name, judge in judges.items():
                time.sleep(spacing_s)
                if name == "queue":
                    verdict, worker_ms = judge.submit_timed(problem_id, source)
                    if worker_ms is not None:
                        transport.append(verdict.elapsed_ms - worker_ms)
                else:
                    verdict = judge.submit(problem_id, source)
                if not verdict.accepted:
                    raise RuntimeError(f"the {name} judge did not accept the solution: {verdict.message}")
                times[name].append(verdict.elapsed_ms)
    summary = {
        name: {"p50_ms": round(statistics.median(v), 1), "p95_ms": round(percentile(v, 0.95), 1)}
        for name, v in times.items()
    }
    local_p50, queue_p50 = summary["local"]["p50_ms"], summary["queue"]["p50_ms"]
    return {
        "problem": problem_id,
        "broker": redacted(url),
        "spaced": spaced,
        **summary,
        "queue_over_local_p50_ms": round(queue_p50 - local_p50, 1),
        "queue_transport_ms": {
            "p50": round(statistics.median(transport), 1) if transport else None,
            "max": round(max(transport), 1) if transport else None,
        },
        "within_1.3x_plus_5ms": queue_p50 <= 1.3 * local_p50 + 5,
    }
