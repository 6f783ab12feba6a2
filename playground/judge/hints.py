"""Which hint a verdict carries: an error's known cause, or the misconception a wrong answer matches."""

from __future__ import annotations

from typing import Any

import numpy as np

from playground.judge.compare import matches
from playground.judge.graded import GradedCase
from playground.judge.near_miss import near_miss_hint
from playground.judge.reference import ReferenceCache
from playground.judge.state_diff import state_hint
from playground.problems import Problem


def error_hint(problem: Problem, error: dict[str, Any]) -> str | None:
    """The problem's hint for an exception whose text it recognises, or None."""
    text = str(error.get("text", ""))
    for hint in problem.error_hints:
        if hint.matches(text):
            return hint.hint
    return None


def wrong_answer_hint(problem: Problem, graded: list[GradedCase], refs: ReferenceCache) -> str | None:
    """The most telling hint for wrong answers: a known misconception's, then the module's, then a near miss's."""
    answered = [g for g in graded if g.got is not None]
    for misconception in problem.misconceptions:
        compared = [
            (g.got, variant)
            for g in answered
            if (variant := refs.variant(problem, misconception.name, g.case.inputs)) is not None
        ]
        if compared and all(_same_answer(got, variant, problem) for got, variant in compared):
            return misconception.hint
    found = next((g.param_hint for g in graded if g.param_hint), None)
    # A Variable of another type or shape, or a missing one, says more than a near miss in the numbers;
    # an extra one (often a kept Rngs) says less, so it only comes after.
    found = found or _state_hint(problem, graded, refs, strong_only=True)
    found = found or near_miss_hint(problem, [(g.case, g.got) for g in answered], refs)
    found = found or _fixed_seed_hint(problem, answered, refs)
    return found or _state_hint(problem, graded, refs, strong_only=False)


FIXED_SEED = 0.0


def _fixed_seed_hint(problem: Problem, answered: list[GradedCase], refs: ReferenceCache) -> str | None:
    """The reference's answer for seed 0 in every test: the seed argument was not used."""
    if "seed" not in {a.name for a in problem.arguments} or not answered:
        return None
    if all(g.case.inputs["seed"] == FIXED_SEED for g in answered):
        return None
    for item in answered:
        try:
            fixed = refs.expected_parts(problem, {**item.case.inputs, "seed": FIXED_SEED})
        except Exception:  # noqa: BLE001 - no hint beats a judge that fails
            return None
        if not _same_answer(item.got, fixed, problem):
            return None
    return (
        "Your answer is the one seed 0 gives, whatever the seed: build the keys from the argument, "
        "nnx.Rngs(int(seed)), rather than from a constant."
    )


def _state_hint(problem: Problem, graded: list[GradedCase], refs: ReferenceCache, strong_only: bool) -> str | None:
    for item in graded:
        if item.state is not None:
            reference = refs.reference_state(problem, item.case.inputs)
            hint = state_hint(item.state, reference, strong_only=strong_only)
            if hint:
                return hint
    return None


def _same_answer(got: list[np.ndarray | None], variant: list[np.ndarray], problem: Problem) -> bool:
    return len(got) == len(variant) and all(
        _same_part(part, other, problem) for part, other in zip(got, variant, strict=True)
    )


def _same_part(part: np.ndarray | None, other: np.ndarray, problem: Problem) -> bool:
    # A mistake that divides by zero on some input (ddof=1 on a batch of one) gives NaN there, and
    # the learner's answer with the same mistake gives NaN at the same places.
    if part is not None and part.shape == other.shape and not np.all(np.isfinite(other)):
        finite = np.isfinite(other)
        same_gaps = np.array_equal(np.isnan(part), np.isnan(other)) and np.array_equal(np.isinf(part), np.isinf(other))
        return same_gaps and matches(part[finite], other[finite], problem.rtol, problem.atol)
    return matches(part, other, problem.rtol, problem.atol)
