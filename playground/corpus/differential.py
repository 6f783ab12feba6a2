"""The same verdict whatever the worker: a corpus judged with warm templates on and off, compared field by field.

    .venv/bin/python -m playground.corpus.differential [--spellings N] [--mutants N] [PROBLEM ...]

For each problem: N generated spellings of the reference (which must be accepted) and up to N
mutants, one per family of mistake first. Every submission is judged by a judge whose workers come
from warm templates and by one whose workers all start from the zygote; every field of the two
verdicts but the time must agree, and nothing that finishes in a warm process may run out of time.
Prints one JSON line per problem, then a total.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from playground.corpus.mutants import Mutant, mutants
from playground.corpus.spellings import spellings
from playground.problems import all_problems, get_problem
from playground.settings import Settings

FAMILIES_FIRST = ("distribution", "activation", "initialiser", "axis", "sign", "scale")
SETTLE_S = 300.0


@dataclass(frozen=True)
class Submission:
    """One corpus entry: the problem, a label (a spelling's or a mutant's name), the source, and if it must be accepted."""

    problem: str
    label: str
    source: str
    correct: bool


@dataclass
class Comparison:
    """What the two judges made of one problem's corpus."""

    problem: str
    submissions: int = 0
    differences: list[dict[str, Any]] = field(default_factory=list)
    time_limits: list[str] = field(default_factory=list)  # labels that ran out of time on either judge
    spellings_refused: list[str] = field(default_factory=list)  # correct spellings not accepted
    on_template: int = 0  # verdicts given by a template's worker (not handed back)

    def to_dict(self) -> dict[str, Any]:
        return {
            "problem": self.problem,
            "submissions": self.submissions,
            "differences": self.differences,
            "time_limit_exceeded": self.time_limits,
            "spellings_not_accepted": self.spellings_refused,
            "judged_on_template_workers": self.on_template,
        }


def wrong_answers(problem_id: str, count: int) -> list[Mutant]:
    """Up to `count` mutants: one per family, the families learners get wrong most often first, then the rest."""
    every = mutants(problem_id)
    by_family: dict[str, Mutant] = {}
    for mutant in every:
        by_family.setdefault(mutant.family, mutant)
    order = [f for f in FAMILIES_FIRST if f in by_family] + sorted(f for f in by_family if f not in FAMILIES_FIRST)
    chosen = [by_family[f] for f in order]
    chosen += [m for m in every if m not in chosen]
    return chosen[:count]


def corpus(problems: Sequence[str], spellings_each: int, mutants_each: int, seed: int = 7) -> list[Submission]:
    """The submissions both judges see, problem by problem."""
    items = []
    for problem_id in problems:
        items += [Submission(problem_id, s.name, s.source, True) for s in spellings(problem_id, spellings_each, seed)]
        items += [Submission(problem_id, m.name, m.source, False) for m in wrong_answers(problem_id, mutants_each)]
    return items


def comparable(verdict: Any) -> dict[str, Any]:
    """The verdict's JSON without its time: what must not depend on the worker."""
    fields = verdict.to_dict()
    fields.pop("elapsed_ms", None)
    return fields


def make_judge(templates: bool, problems: Sequence[str]) -> Any:
    """A judge in this process for these problems, with warm templates on or off."""
    from playground.judge import LocalJudge

    settings = dataclasses.replace(Settings.from_environment(), warm_templates=templates)
    return LocalJudge(pool_size=1, problems=list(problems), settings=settings)


def settle_on_templates(judge: Any, problem_id: str, timeout_s: float = SETTLE_S) -> bool:
    """Submit the reference until a template's worker judges it; False when none did in time."""
    source = get_problem(problem_id).solution_source()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if (getattr(judge.submit(problem_id, source), "cost", None) or {}).get("template"):
            return True
        time.sleep(0.5)
    return False


def judge_both(items: Sequence[Submission], on_verdicts: Callable[[str, list[Any]], None] | None = None) -> dict[str, list[Any]]:
    """Each submission's verdict from a judge without templates, then from one settled on templates."""
    problems = list(dict.fromkeys(item.problem for item in items))
    found: dict[str, list[Any]] = {}
    with make_judge(False, problems) as judge:
        found["off"] = [judge.submit(item.problem, item.source) for item in items]
    with make_judge(True, problems) as judge:
        judge.start()
        found["on"] = []
        for problem_id in problems:
            if not settle_on_templates(judge, problem_id):
                raise RuntimeError(f"no worker for {problem_id} came from a warm template within {SETTLE_S:.0f} s")
            found["on"] += [judge.submit(item.problem, item.source) for item in items if item.problem == problem_id]
    return found


def compare(items: Sequence[Submission], off: Sequence[Any], on: Sequence[Any]) -> list[Comparison]:
    """Per problem: the submissions whose verdicts differ, run out of time, or refuse a correct spelling."""
    results: dict[str, Comparison] = {}
    for item, without, with_templates in zip(items, off, on, strict=True):
        result = results.setdefault(item.problem, Comparison(item.problem))
        result.submissions += 1
        cost = getattr(with_templates, "cost", None) or {}
        result.on_template += bool(cost.get("template"))
        if comparable(without) != comparable(with_templates):
            result.differences.append(
                {"label": item.label, "off": str(without.status), "on": str(with_templates.status), "on_cost": cost}
            )
        if "time_limit_exceeded" in (str(without.status), str(with_templates.status)):
            result.time_limits.append(item.label)
        if item.correct and not (without.accepted and with_templates.accepted):
            result.spellings_refused.append(item.label)
    return list(results.values())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playground.corpus.differential", description=__doc__.split("\n")[0])
    parser.add_argument("problems", nargs="*", help="problem ids (default: the whole track)")
    parser.add_argument("--spellings", type=int, default=10, help="generated spellings per problem")
    parser.add_argument("--mutants", type=int, default=10, help="mutants per problem")
    args = parser.parse_args(argv)
    problems = args.problems or list(all_problems())
    unknown = [p for p in problems if p not in all_problems()]
    if unknown:
        print(f"error: unknown problem {unknown[0]!r}; known problems: {', '.join(all_problems())}", file=sys.stderr)
        return 2
    items = corpus(problems, args.spellings, args.mutants)
    verdicts = judge_both(items)
    results = compare(items, verdicts["off"], verdicts["on"])
    for result in results:
        print(json.dumps(result.to_dict()), flush=True)
    total = {
        "submissions": sum(r.submissions for r in results),
        "differences": sum(len(r.differences) for r in results),
        "time_limit_exceeded": sum(len(r.time_limits) for r in results),
        "spellings_not_accepted": sum(len(r.spellings_refused) for r in results),
        "judged_on_template_workers": sum(r.on_template for r in results),
    }
    print(json.dumps({"total": total}), flush=True)
    return 0 if not (total["differences"] or total["time_limit_exceeded"] or total["spellings_not_accepted"]) else 1


if __name__ == "__main__":
    sys.exit(main())
