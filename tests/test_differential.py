"""The same verdict whatever the worker: generated spellings and mutants, judged with warm templates on and off.

Spellings come from playground.corpus.spellings (equivalent rewrites of each reference), wrong
answers from playground.corpus.mutants (one per family of mistake, another distribution or
activation first). Each is judged by a judge whose workers come from warm templates and by one
whose workers all start from the zygote; every field of the two verdicts but the time must agree,
and none of this code, which finishes in well under a second in a warm process, may run out of time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from playground.corpus.mutants import Mutant, mutants
from playground.corpus.spellings import spellings
from playground.judge import Judge
from playground.judge.verdict import Status
from playground.problems import get_problem

pytestmark = pytest.mark.slow

# The problems where a template's worker once gave another verdict (a distribution, an activation).
PROBLEMS = ("module_basics_forward", "mlp_relu")
SPELLINGS_EACH = 3
MUTANTS_EACH = 3
FAMILIES_FIRST = ("distribution", "activation", "initialiser", "axis", "sign", "scale")
SETTLE_S = 240.0


def wrong_answers(problem_id: str) -> list[Mutant]:
    """One mutant per family, the families learners get wrong most often first."""
    by_family: dict[str, Mutant] = {}
    for mutant in mutants(problem_id):
        by_family.setdefault(mutant.family, mutant)
    order = [f for f in FAMILIES_FIRST if f in by_family] + sorted(f for f in by_family if f not in FAMILIES_FIRST)
    return [by_family[f] for f in order[:MUTANTS_EACH]]


def corpus() -> list[tuple[str, str, str]]:
    """(problem, label, source) for every submission both judges see."""
    items = []
    for problem_id in PROBLEMS:
        items += [(problem_id, s.name, s.source) for s in spellings(problem_id, count=SPELLINGS_EACH, seed=7)]
        items += [(problem_id, m.name, m.source) for m in wrong_answers(problem_id)]
    return items


def comparable(verdict: Any) -> dict[str, Any]:
    fields = verdict.to_dict()
    fields.pop("elapsed_ms", None)
    return fields


def _judge(templates: bool) -> Judge:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLAYGROUND_WARM_TEMPLATES", "1" if templates else "0")
        return Judge(pool_size=1, problems=list(PROBLEMS))


def _settle_on_templates(judge: Judge) -> None:
    """Submit each problem's reference until its verdict comes from a warm template's worker."""
    deadline = time.monotonic() + SETTLE_S
    for problem_id in PROBLEMS:
        source = get_problem(problem_id).solution_source()
        while not (getattr(judge.submit(problem_id, source), "cost", None) or {}).get("template"):
            if time.monotonic() > deadline:
                pytest.fail(f"no worker for {problem_id} came from a warm template within {SETTLE_S:.0f} s")
            time.sleep(0.5)


@pytest.fixture(scope="module")
def verdicts() -> Iterator[dict[str, list[Any]]]:
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("warm templates need root on Linux; CI must run this suite as root")
        pytest.skip("warm templates are compared where full isolation is possible (root on Linux)")
    items = corpus()
    found: dict[str, list[Any]] = {}
    with _judge(templates=False) as judge:
        found["off"] = [judge.submit(p, source) for p, _label, source in items]
    with _judge(templates=True) as judge:
        _settle_on_templates(judge)
        found["on"] = [judge.submit(p, source) for p, _label, source in items]
    found["items"] = items
    yield found


def test_the_corpus_has_spellings_and_wrong_answers_for_each_problem():
    items = corpus()
    for problem_id in PROBLEMS:
        labels = [label for p, label, _ in items if p == problem_id]
        assert len(labels) == SPELLINGS_EACH + MUTANTS_EACH, labels


def test_every_verdict_agrees_with_templates_on_and_off(verdicts):
    differences = [
        (problem_id, label, off.status, on.status, off.message, on.message)
        for (problem_id, label, _), off, on in zip(verdicts["items"], verdicts["off"], verdicts["on"], strict=True)
        if comparable(off) != comparable(on)
    ]
    assert not differences


def test_spellings_are_accepted_and_nothing_runs_out_of_time(verdicts):
    for (problem_id, label, _), verdict in zip(verdicts["items"], verdicts["on"], strict=True):
        assert verdict.status is not Status.TIME_LIMIT_EXCEEDED, (problem_id, label, verdict.message)
        if "#" in label and ":" not in label:  # a spelling's name; a mutant's has "family:detail"
            assert verdict.status is Status.ACCEPTED, (problem_id, label, verdict.message)


def test_some_wrong_answers_were_judged_on_a_template_worker(verdicts):
    # Otherwise the comparison above would only compare fresh workers with fresh workers.
    costs = [getattr(v, "cost", None) or {} for v in verdicts["on"]]
    assert any(c.get("template") or c.get("rerun_fresh") for c in costs)
