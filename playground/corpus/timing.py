"""Timing over generated spellings: what a learner's own way of writing a correct answer costs.

Each generated spelling (playground.corpus.spellings) is submitted once, spaced, to one settled
judge, beside the reference's own spelling submitted as often, interleaved, in the same run, and a
cold process's time for the reference as the baseline.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from playground.corpus.spellings import spellings
from playground.measure.bench import SPACING_S, latency_summary, measure_cold, settle
from playground.problems import get_problem


def run_generated(problem: str, count: int = 40, cold: int = 3, seed: int = 0) -> dict[str, Any]:
    """Spaced latency over `count` generated spellings and over the reference, alternating, in one judge."""
    from playground.judge import Judge

    reference = get_problem(problem).solution_source()
    corpus = spellings(problem, count=count, seed=seed)
    judged: dict[str, list[Any]] = {"generated": [], "reference": []}
    not_accepted = []
    with Judge(problems=[problem]) as judge:
        judge.start()
        settle(judge, problem, reference)
        time.sleep(SPACING_S * 2)
        for spelling in corpus:
            for label, source in (("generated", spelling.source), ("reference", reference)):
                verdict = judge.submit(problem, source)
                judged[label].append(verdict)
                if not verdict.accepted:
                    not_accepted.append({"spelling": spelling.name if label == "generated" else label, "status": str(verdict.status)})
                time.sleep(SPACING_S)
    cold_s = measure_cold(problem, reference, cold)
    cold_ms = statistics.median(cold_s) * 1000
    result: dict[str, Any] = {"problem": problem, "spellings": len(corpus), "spacing_s": SPACING_S}
    for label, verdicts in judged.items():
        result[label] = latency_summary(verdicts)
        result[label]["p50_x_cold"] = round(cold_ms / result[label]["p50_ms"], 1)
    result["cold_subprocess"] = {"runs": cold, "median_ms": round(cold_ms, 1)}
    result["not_accepted"] = not_accepted
    return result
