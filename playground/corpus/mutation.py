"""Mutation testing of a problem's hidden tests, in-process with trusted code (no sandbox).

A mutant is *killed* when some hidden test fails on it, as the judge would fail it: an exception,
another shape, a value outside the problem's tolerance, or parameters `check_params` refuses. A
mutant that passes every hidden test is run on the visible examples and on random valid inputs:
if it differs from the reference there it *survived* (the hidden tests miss a mistake), and if not
it is *equivalent* as far as any input tried can tell.

    .venv/bin/python -m playground.corpus.mutation [PROBLEM ...]   # one JSON line per problem
"""

from __future__ import annotations

import enum
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.corpus.mutants import Mutant, mutants
from playground.corpus.random_inputs import random_inputs
from playground.judge.compare import matches
from playground.judge.reference import _recording_params, as_parts
from playground.problems import Problem, all_problems, get_problem

EXTRA_INPUTS = 12


class Fate(enum.StrEnum):
    """What the hidden tests made of one mutant."""

    KILLED = "killed"
    SURVIVED = "survived"
    EQUIVALENT = "equivalent"


@dataclass(frozen=True)
class MutantOutcome:
    """One mutant's fate, and the input that decided it (a test's name, or "random #i")."""

    name: str
    family: str
    fate: Fate
    decided_by: str | None


@dataclass(frozen=True)
class _Run:
    parts: list[np.ndarray] | None  # None: the program raised or returned something unusable
    shapes: list[tuple[int, ...]]


def entry_point_of(problem: Problem, source: str) -> Callable[..., Any]:
    """The entry point defined by trusted source text (a reference or one of its mutants)."""
    namespace: dict[str, Any] = {"__name__": f"mutant_of_{problem.id}"}
    exec(compile(source, f"<{problem.id} mutant>", "exec"), namespace)  # noqa: S102 - trusted, generated from the reference
    return namespace[problem.entry_point]


def run_program(problem: Problem, entry: Callable[..., Any], inputs: dict[str, Any]) -> _Run:
    """The program's answer on one input as parts, with the shapes of the Params it created."""
    import jax.numpy as jnp

    args = [
        jnp.asarray(inputs[a.name], dtype=jnp.float32) if a.kind.startswith("f32_") else float(inputs[a.name])
        for a in problem.arguments
    ]
    with _recording_params() as created, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parts = as_parts(problem, entry(*args))
        except Exception:  # noqa: BLE001 - a mutant that raises differs from the reference
            parts = None
        shapes = [tuple(np.shape(p.get_value())) for p in created]
    return _Run(parts, shapes)


def same_answer(problem: Problem, got: _Run, want: _Run, inputs: dict[str, Any]) -> bool:
    """True when the judge would pass `got` where `want` is expected (values and parameters)."""
    if got.parts is None or want.parts is None or len(got.parts) != len(want.parts):
        return False
    if not all(matches(g, w, problem.rtol, problem.atol) for g, w in zip(got.parts, want.parts, strict=True)):
        return False
    return problem.check_params is None or problem.check_params(inputs, got.shapes) is None


def judge_mutant(
    problem: Problem,
    mutant: Mutant,
    hidden: Sequence[tuple[str, dict[str, Any], _Run]],
    others: Sequence[tuple[str, dict[str, Any], _Run]],
) -> MutantOutcome:
    """Kill the mutant with a hidden test if one fails; otherwise look for any input it gets wrong."""
    try:
        entry = entry_point_of(problem, mutant.source)
    except Exception:  # noqa: BLE001 - a mutant that cannot even load fails every test
        return MutantOutcome(mutant.name, mutant.family, Fate.KILLED, "load")
    for name, inputs, want in hidden:
        if not same_answer(problem, run_program(problem, entry, inputs), want, inputs):
            return MutantOutcome(mutant.name, mutant.family, Fate.KILLED, name)
    for name, inputs, want in others:
        if not same_answer(problem, run_program(problem, entry, inputs), want, inputs):
            return MutantOutcome(mutant.name, mutant.family, Fate.SURVIVED, name)
    return MutantOutcome(mutant.name, mutant.family, Fate.EQUIVALENT, None)


def mutation_outcomes(problem_id: str, extra_inputs: int = EXTRA_INPUTS, seed: int = 0) -> list[MutantOutcome]:
    """The fate of every mutant of the problem's reference."""
    problem = get_problem(problem_id)
    reference = problem.reference()
    hidden = [(c.name, c.inputs, run_program(problem, reference, c.inputs)) for c in problem.cases if c.hidden]
    extra = random_inputs(problem_id, np.random.default_rng(seed), extra_inputs)
    others = [(c.name, c.inputs) for c in problem.visible_cases()] + [(f"random #{i}", x) for i, x in enumerate(extra)]
    checked = [(name, inputs, run) for name, inputs in others if (run := run_program(problem, reference, inputs)).parts is not None]
    return [judge_mutant(problem, mutant, hidden, checked) for mutant in mutants(problem_id)]


def summary(problem_id: str, outcomes: Sequence[MutantOutcome]) -> dict[str, Any]:
    """Counts and the kill rate (killed among mutants that are not equivalent), with names of the rest."""
    killed = sum(1 for o in outcomes if o.fate is Fate.KILLED)
    survived = [o.name for o in outcomes if o.fate is Fate.SURVIVED]
    equivalent = [o.name for o in outcomes if o.fate is Fate.EQUIVALENT]
    wrong = killed + len(survived)
    return {
        "problem": problem_id,
        "mutants": len(outcomes),
        "killed": killed,
        "kill_rate": round(killed / wrong, 4) if wrong else 1.0,
        "survived": survived,
        "equivalent": equivalent,
    }


def main(argv: Sequence[str]) -> int:
    """Print one JSON summary per problem (all problems when none is named); 1 if any mutant survived."""
    problems = list(argv) or list(all_problems())
    survivors = 0
    for problem_id in problems:
        report = summary(problem_id, mutation_outcomes(problem_id))
        survivors += len(report["survived"])
        print(json.dumps(report), flush=True)
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
