"""The same verdict whatever the worker: generated spellings and mutants, judged with warm templates on and off.

A sample of the corpus of playground.corpus.differential (run it whole with
`python -m playground.corpus.differential`): every field of the two verdicts but the time must
agree, each spelling must be accepted, and none of this code, which finishes in well under a
second in a warm process, may run out of time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from playground.corpus.differential import Comparison, compare, corpus, judge_both

pytestmark = pytest.mark.slow

# The problems where a template's worker once gave another verdict (a distribution, an activation).
PROBLEMS = ("module_basics_forward", "mlp_relu")
SPELLINGS_EACH = 3
MUTANTS_EACH = 3


@pytest.fixture(scope="module")
def comparisons() -> Iterator[list[Comparison]]:
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("warm templates need root on Linux; CI must run this suite as root")
        pytest.skip("warm templates are compared where full isolation is possible (root on Linux)")
    items = corpus(PROBLEMS, SPELLINGS_EACH, MUTANTS_EACH)
    verdicts = judge_both(items)
    yield compare(items, verdicts["off"], verdicts["on"])


def test_the_sample_has_spellings_and_wrong_answers_for_each_problem():
    items = corpus(PROBLEMS, SPELLINGS_EACH, MUTANTS_EACH)
    for problem_id in PROBLEMS:
        mine = [item for item in items if item.problem == problem_id]
        assert sum(item.correct for item in mine) == SPELLINGS_EACH, [item.label for item in mine]
        assert sum(not item.correct for item in mine) == MUTANTS_EACH, [item.label for item in mine]


def test_every_verdict_agrees_with_templates_on_and_off(comparisons):
    assert [c.differences for c in comparisons] == [[] for _ in comparisons]


def test_spellings_are_accepted_and_nothing_runs_out_of_time(comparisons):
    assert [c.spellings_refused for c in comparisons] == [[] for _ in comparisons]
    assert [c.time_limits for c in comparisons] == [[] for _ in comparisons]


def test_template_workers_judged_part_of_the_sample(comparisons):
    # Otherwise the comparison above would compare fresh workers with fresh workers only.
    assert all(c.on_template > 0 for c in comparisons), [c.to_dict() for c in comparisons]
