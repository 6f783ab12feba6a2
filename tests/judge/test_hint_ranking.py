"""Which hint a wrong answer gets: decided from what the model holds, never guessed, most specific first."""

import pytest

from playground.judge.grading import grade
from playground.judge.reference import ReferenceCache
from playground.judge.verdict import Mode, Status
from playground.problems import get_problem
from playground.sandbox.pool import Limits, RunOutcome
from tests.problems.test_problems import _described


@pytest.fixture(scope="module")
def refs():
    return ReferenceCache()


def _outcome(problem, answers, params, states=None) -> RunOutcome:
    """What a worker would report: each test's answer parts, created Param shapes and (visible) state."""
    results = []
    for case in problem.cases:
        result = {"name": case.name, "params": [{"shape": list(s)} for s in params(case)]}
        parts = answers(case)
        if problem.output_names:
            result["outputs"] = [_described(p) for p in parts]
        else:
            result["output"] = _described(parts[0])
        if states is not None and not case.hidden:
            result["state"] = states(case)
        results.append(result)
    return RunOutcome(frames=[{"type": "results", "results": results, "warnings": []}])


def _grade(problem, outcome, refs):
    return grade(problem, Mode.SUBMIT, "answer.py", list(problem.cases), outcome, refs, Limits(), False)


def test_params_replaced_by_new_ones_are_judged_by_what_the_model_holds(refs):
    """Two extra nnx.Params were created (the new scale and bias) but the model holds three at the end."""
    problem = get_problem("embed_layernorm")

    def created(case):
        table, scale, bias = (p.shape for p in refs.reference_params(problem, case.inputs))
        return [table, scale, bias, scale, bias]

    def expected(case):
        return refs.expected_parts(problem, case.inputs)

    def final_state(case):
        return refs.reference_state(problem, case.inputs).to_dict()

    accepted = _grade(problem, _outcome(problem, expected, created, final_state), refs)
    assert accepted.status is Status.ACCEPTED and accepted.hint is None
    # Without a final state to go by, five created Params are still refused.
    refused = _grade(problem, _outcome(problem, expected, created), refs)
    assert refused.status is Status.WRONG_ANSWER and refused.passed == 0, refused.message


def test_a_time_limit_alone_suggests_no_cause(refs):
    problem = get_problem("causal_attention")
    verdict = _grade(problem, RunOutcome(timed_out=True), refs)
    assert verdict.status is Status.TIME_LIMIT_EXCEEDED and verdict.hint is None


def test_seed_zero_whatever_the_seed_is_named(refs):
    problem = get_problem("mlp_relu")

    def seed_zero(case):
        return refs.expected_parts(problem, {**case.inputs, "seed": 0.0})

    def shapes(case):
        return [p.shape for p in refs.reference_params(problem, case.inputs)]

    verdict = _grade(problem, _outcome(problem, seed_zero, shapes), refs)
    assert verdict.status is Status.WRONG_ANSWER and "seed 0" in verdict.hint


def test_a_misconception_comes_before_a_general_near_miss(refs):
    """Scale and bias applied twice is also 'each column scaled and shifted': the specific words win."""
    problem = get_problem("embed_layernorm")
    twice = next(m for m in problem.misconceptions if m.name == "scale_and_bias_applied_twice")

    def answers(case):
        return refs.variant(problem, twice.name, case.inputs)

    def shapes(case):
        return [p.shape for p in refs.reference_params(problem, case.inputs)]

    verdict = _grade(problem, _outcome(problem, answers, shapes), refs)
    assert verdict.hint == twice.hint
