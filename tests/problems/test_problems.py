"""Every problem tests itself: reference accepted, misconceptions caught, starter recognised."""

import json

import numpy as np
import pytest

from playground.judge import Judge
from playground.judge.grading import grade
from playground.judge.reference import ReferenceCache
from playground.judge.verdict import Mode, Status
from playground.problems import all_problems, get_problem
from playground.sandbox.records import Limits, RunOutcome

PROBLEMS = list(all_problems().values())


def test_every_problem_folder_loads():
    from playground.problems import broken_problems

    assert broken_problems() == {}
    assert len({p.order for p in PROBLEMS}) == len(PROBLEMS), "two problems share an order"
IDS = [p.id for p in PROBLEMS]


@pytest.fixture()
def judge(every_problem_judge: Judge) -> Judge:
    """`Judge()`, started: the one the layer's suites share (tests/conftest.py)."""
    return every_problem_judge


@pytest.fixture(scope="module")
def refs():
    return ReferenceCache()


def _described(value) -> dict:
    array = np.asarray(value, dtype=np.float64)
    return {"kind": "array", "shape": list(array.shape), "data": array.ravel().tolist()}


def _outcome_from(problem, parts_by_case, shapes_by_case) -> RunOutcome:
    """A RunOutcome as a worker would report it for the given answers (lists of parts)."""
    results = []
    for case in problem.cases:
        parts = parts_by_case[case.name]
        result = {"name": case.name, "params": [{"shape": list(s)} for s in shapes_by_case[case.name]]}
        if problem.output_names:
            result["outputs"] = [_described(part) for part in parts]
        else:
            result["output"] = _described(parts[0])
        results.append(result)
    return RunOutcome(frames=[{"type": "results", "results": results, "warnings": []}])


def _reference_shapes(refs, problem, case) -> list[tuple[int, ...]]:
    return [p.shape for p in refs.reference_params(problem, case.inputs)]


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_cases_are_well_formed(problem):
    visible = [c for c in problem.cases if not c.hidden]
    hidden = [c for c in problem.cases if c.hidden]
    # Module basics promised 12 hidden tests; the costlier problems run fewer but richer ones, so
    # that Submit stays within the latency budget (python -m playground bench).
    assert len(visible) >= 3 and len(hidden) >= (12 if problem.id == "module_basics_forward" else 4)
    assert len({c.name for c in problem.cases}) == len(problem.cases)
    for case in problem.cases:
        assert set(case.inputs) == {a.name for a in problem.arguments}
        for argument in problem.arguments:
            value = case.inputs[argument.name]
            if argument.kind == "float":
                assert isinstance(value, float), (case.name, argument.name)
            else:
                values = [v for row in value for v in row] if argument.kind == "f32_matrix" else value
                assert values and all(isinstance(v, float) for v in values), (case.name, argument.name)
        json.dumps(case.inputs)


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_reference_is_accepted(judge, problem):
    verdict = judge.submit(problem.id, problem.solution_source())
    assert verdict.status is Status.ACCEPTED, verdict.message
    assert verdict.passed == verdict.total == len(problem.cases)


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_starter_is_not_attempted(judge, problem):
    verdict = judge.submit(problem.id, problem.starter, mode="run")
    assert verdict.status is not Status.ACCEPTED
    assert verdict.hint == problem.starter_hint


@pytest.mark.parametrize(
    "problem, misconception",
    [(p, m) for p in PROBLEMS for m in p.misconceptions],
    ids=[f"{p.id}-{m.name}" for p in PROBLEMS for m in p.misconceptions],
)
def test_hidden_tests_separate_each_misconception(refs, problem, misconception):
    separated = [
        c.name
        for c in problem.cases
        if c.hidden
        and not _close(refs.variant(problem, misconception.name, c.inputs), refs.expected_parts(problem, c.inputs), problem)
    ]
    assert separated, f"no hidden test tells {misconception.name} from the reference"


@pytest.mark.parametrize(
    "problem, misconception",
    [(p, m) for p in PROBLEMS for m in p.misconceptions],
    ids=[f"{p.id}-{m.name}" for p in PROBLEMS for m in p.misconceptions],
)
def test_misconception_gets_its_hint(refs, problem, misconception):
    outputs = {c.name: refs.variant(problem, misconception.name, c.inputs) for c in problem.cases}
    shapes = {c.name: _reference_shapes(refs, problem, c) for c in problem.cases}
    verdict = grade(
        problem, Mode.SUBMIT, "variant", list(problem.cases), _outcome_from(problem, outputs, shapes), refs, Limits(), False
    )
    assert verdict.status is Status.WRONG_ANSWER
    assert verdict.hint == misconception.hint


def test_reported_reference_outputs_are_accepted_by_grading(refs):
    problem = get_problem("module_basics_forward")
    outputs = {c.name: refs.expected_parts(problem, c.inputs) for c in problem.cases}
    shapes = {c.name: _reference_shapes(refs, problem, c) for c in problem.cases}
    verdict = grade(
        problem, Mode.SUBMIT, "ref", list(problem.cases), _outcome_from(problem, outputs, shapes), refs, Limits(), False
    )
    assert verdict.status is Status.ACCEPTED
    hidden = [t for t in verdict.to_dict()["tests"] if t["hidden"]]
    assert hidden and all(t["max_abs_error"] is None and "input" not in t and "got" not in t for t in hidden)


def test_tolerance_leaves_room_for_other_correct_orderings(refs):
    """float32 answers computed in another order must still pass: check the margin per test."""
    problem = get_problem("module_basics_forward")
    for case in problem.cases:
        kernel = refs.reference_params(problem, case.inputs)[0]
        exact = np.asarray(case.inputs["x"], dtype=np.float64) @ kernel
        expected = refs.expected(problem, case.inputs)
        allowed = problem.atol + problem.rtol * np.abs(expected)
        assert np.all(np.abs(expected - exact) <= allowed / 4), case.name


def _close(a, b, problem) -> bool:
    """Two answers (lists of parts) agree within the problem's tolerance."""
    if a is None or len(a) != len(b):
        return False
    return all(
        x.shape == y.shape and bool(np.all(np.abs(x - y) <= problem.atol + problem.rtol * np.abs(y)))
        for x, y in zip(a, b, strict=True)
    )


@pytest.mark.parametrize(
    "fields, error_words",
    [
        ({"seed": "0", "features": "4", "x": "1, 2, 3"}, None),
        ({"seed": "2147483647", "features": "64", "x": "-1e3 0 2.5"}, None),
        ({"seed": "zero", "features": "4", "x": "1"}, "Seed"),
        ({"seed": "1.5", "features": "4", "x": "1"}, "Seed"),
        ({"seed": "-1", "features": "4", "x": "1"}, "Seed"),
        ({"seed": "0", "features": "0", "x": "1"}, "Features"),
        ({"seed": "0", "features": "65", "x": "1"}, "Features"),
        ({"seed": "0", "features": "4", "x": ""}, "x must hold"),
        ({"seed": "0", "features": "4", "x": "1, two"}, "numbers only"),
        ({"seed": "0", "features": "4", "x": "nan"}, "finite"),
        ({"seed": "0", "features": "4", "x": ", ".join(["1"] * 65)}, "x must hold"),
    ],
)
def test_custom_input_parsing(fields, error_words):
    inputs, error = get_problem("module_basics_forward").parse_custom_input(fields)
    if error_words is None:
        assert error is None and isinstance(inputs["seed"], float) and isinstance(inputs["features"], float)
    else:
        assert inputs is None and error_words in error


def test_custom_input_runs_with_the_visible_examples(judge):
    problem = get_problem("module_basics_forward")
    custom, _ = problem.parse_custom_input({"seed": "5", "features": "7", "x": "0.5, -2"})
    verdict = judge.submit(problem.id, problem.solution_source(), mode="run", custom_input=custom)
    assert verdict.status is Status.ACCEPTED
    assert [t.name for t in verdict.tests][-1] == "custom"
    assert len(verdict.tests[-1].got) == 7


def _pitfall_bullets(statement: str) -> list[str]:
    """The bullets of a statement's Pitfalls section, each on one line with single spaces."""
    section = statement.split("### Pitfalls", 1)[1].split("\n### ", 1)[0] if "### Pitfalls" in statement else ""
    bullets: list[str] = []
    for line in section.splitlines():
        if line.startswith("- "):
            bullets.append(line[2:])
        elif line.strip() and bullets:
            bullets[-1] += " " + line.strip()
    return [" ".join(b.split()) for b in bullets]


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_every_pitfall_has_a_detector(problem):
    """Each Pitfalls bullet quotes the words of a misconception, error hint or parameter check."""
    bullets = _pitfall_bullets(problem.statement)
    assert bullets, "the statement lists no pitfalls"
    quoted = [m.pitfall for m in problem.misconceptions if m.pitfall]
    quoted += [p.pitfall for p in problem.param_pitfalls]
    errors = [h for h in problem.error_hints if h.pitfall and any(" ".join(h.pitfall.split()) in b for b in bullets)]
    detectors = [" ".join(q.split()) for q in quoted + [h.pitfall for h in errors]]
    for words in quoted:
        assert any(" ".join(words.split()) in b for b in bullets), f"{words!r} is in no Pitfalls bullet"
    for bullet in bullets:
        assert any(words in bullet for words in detectors), f"no detector for the pitfall: {bullet}"
    for hint in errors:
        first = next((h for h in problem.error_hints if h.matches(hint.example)), None)
        assert first is not None and first.hint == hint.hint, f"{hint.example!r} does not earn its hint"
    for pitfall in problem.param_pitfalls:
        for case in problem.visible_cases():
            assert problem.check_params(case.inputs, pitfall.shapes(case.inputs)), pitfall.pitfall
