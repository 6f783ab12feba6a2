"""Near misses: each detector speaks for its own transformation of the expected answer, and only then."""

import math

import numpy as np
import pytest

from playground.judge.grading import grade
from playground.judge.near_miss import Answered, find_near_miss
from playground.judge.reference import ReferenceCache
from playground.judge.verdict import Mode, Status
from playground.problems import get_problem
from playground.sandbox.records import Limits, RunOutcome

RTOL, ATOL = 1e-5, 1e-6

# Fixed expected answers of several shapes, values of both signs and no zeros.
A = np.array([[0.8, -1.3, 2.1, 0.4], [-0.6, 1.7, -2.4, 1.1], [1.9, 0.3, -0.7, -1.5]])
B = np.array([[1.2, -0.4, 0.9, -2.2], [0.5, 2.6, -1.1, 0.7], [-1.8, 0.2, 1.4, -0.3]])
V = np.array([0.7, -1.2, 2.5, -0.9, 1.6])
T3 = np.arange(1.0, 25.0).reshape(2, 3, 4) * np.array([1.0, -1.0, 0.5, -0.5])


def _answers(pairs, hidden=None, names=None):
    """Answered tests from (got, expected) pairs of single-part answers."""
    hidden = hidden or [False] * len(pairs)
    names = names or [f"example_{i + 1}" for i in range(len(pairs))]
    return [Answered(n, h, [np.asarray(g, float)], [np.asarray(e, float)]) for (g, e), h, n in zip(pairs, hidden, names, strict=True)]


def _found(pairs, **kwargs):
    return find_near_miss(_answers(pairs, **kwargs), (), RTOL, ATOL)


def _relu(x):
    return np.maximum(x, 0.0)


def _gelu(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)))


def _gelu_exact(x):
    return 0.5 * x * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize(
    "pairs, detector, words",
    [
        ([(-A, A), (-B, B)], "sign_flip", "sign flipped"),
        ([(0.5 * A, A), (0.5 * V, V)], "constant_factor", "1/2 times"),
        ([(2.0 * A, A), (2.0 * B, B)], "constant_factor", "2 times"),
        ([(3.0 * A, A), (5.0 * B, B)], "constant_factor", "changes from test to test (3 in example_1)"),
        ([(A.T, A), (B.T, B)], "transposed", "transposed"),
        ([(np.transpose(T3, (2, 0, 1)), T3)], "transposed", "axes in another order"),
        ([(np.zeros_like(A), A)], "all_zeros", "all zeros"),
        ([(A + 0.25, A), (B - 1.5, B)], "offset", "same amount everywhere (0.25 in example_1)"),
        ([(A + np.array([0.1, -0.2, 0.3, 0.0]), A)], "offset", "same vector in every row"),
        ([(_relu(A), A), (_relu(B), B)], "extra_activation", "through a ReLU"),
        ([(np.tanh(V), V)], "extra_activation", "through a tanh"),
        ([(A, _relu(A)), (B, _relu(B))], "missing_activation", "apply a ReLU"),
        ([(_gelu(A), _relu(A)), (_gelu(B), _relu(B))], "swapped_activation", "a GELU where a ReLU belongs"),
        ([(_gelu_exact(A), _relu(A))], "swapped_activation", "an exact GELU where a ReLU belongs"),
        ([(_softmax(A, 0), _softmax(A, 1)), (_softmax(B, 0), _softmax(B, 1))], "other_axis", "sum to 1 along axis 0"),
        ([(A * np.array([2.0, -1.0, 0.5, 3.0]) + np.array([0.1, 0.0, -0.4, 1.0]), A)], "feature_affine", "scaled and shifted"),
    ],
)
def test_each_detector_names_its_transformation(pairs, detector, words):
    found = _found(pairs)
    assert found is not None and found.detector == detector, found
    assert words in found.hint


def test_right_answers_get_no_suggestion():
    assert _found([(A, A), (B, B), (V, V)]) is None
    assert _found([(A * (1 + 1e-7), A), (V + 1e-8, V)]) is None  # within the tolerance


def test_a_transformation_must_hold_in_every_test():
    # Halved in one test, something else in the other: no constant factor can be claimed.
    assert _found([(0.5 * A, A), (B + np.array([[0.3], [0.0], [-0.2]]), B)]) is None
    # A ReLU too many in one test but the right answer where every value is positive: still a ReLU.
    found = _found([(_relu(A), A), (np.abs(B), np.abs(B))])
    assert found is not None and found.detector == "extra_activation"


def test_numbers_in_the_sentence_come_from_visible_tests_only():
    found = _found([(3.0 * A, A), (7.0 * B, B)], hidden=[True, False], names=["secret", "example_2"])
    assert found is not None and "7 in example_2" in found.hint and "secret" not in found.hint and "3" not in found.hint
    found = _found([(0.25 * A, A), (B, B)], hidden=[True, False], names=["secret", "example_2"])
    assert found is not None and "the same number times" in found.hint and "1/4" not in found.hint
    found = _found([(A + 0.125, A)], hidden=[True])
    assert found is not None and found.detector == "offset" and "0.125" not in found.hint


def test_single_numbers_prove_no_factor_unless_the_same_in_every_test():
    assert _found([([1.5], [3.0]), ([4.0], [1.0])]) is None
    found = _found([([1.5], [3.0]), ([0.5], [1.0])])
    assert found is not None and "1/2 times" in found.hint


def test_named_parts_say_which_part():
    answers = [Answered("example_1", False, [np.asarray(V), -A], [V, A])]
    found = find_near_miss(answers, ("output", "weights"), RTOL, ATOL)
    assert found is not None and found.hint.startswith("In `weights`:")


def test_unusable_answers_get_no_suggestion():
    answers = [Answered("example_1", False, [None], [A])]
    assert find_near_miss(answers, (), RTOL, ATOL) is None
    assert _found([(np.ones((2, 2)), A)]) is None


def test_nan_where_the_expected_answer_is_finite_is_named():
    found = _found([(np.full_like(A, np.nan), A)])
    assert found is not None and found.detector == "non_finite" and "NaN" in found.hint
    assert _found([(np.full_like(A, np.inf), A)]).detector == "non_finite"


@pytest.mark.parametrize("seed", range(40))
def test_random_wrong_answers_get_no_suggestion(seed):
    rng = np.random.default_rng(seed)
    shapes = [(3, 4), (5,), (2, 3, 4), (4, 4), (2,), (1,), (3, 1)]
    pairs = []
    for shape in shapes[seed % len(shapes)], shapes[(seed + 3) % len(shapes)]:
        expected = rng.normal(size=shape)
        pairs.append((rng.normal(size=shape) * rng.choice([0.1, 1.0, 10.0]), expected))
    assert _found(pairs) is None


def _described(value) -> dict:
    array = np.asarray(value, dtype=np.float64)
    return {"kind": "array", "shape": list(array.shape), "data": array.ravel().tolist()}


@pytest.mark.parametrize("change, hinted", [(lambda e: -e, True), (lambda e: e, False)])
def test_grading_adds_the_near_miss_hint_to_wrong_answers_only(change, hinted):
    problem = get_problem("conv_feature_map")
    refs = ReferenceCache()
    results = []
    for case in problem.cases:
        params = [{"shape": list(p.shape)} for p in refs.reference_params(problem, case.inputs)]
        results.append({"name": case.name, "params": params, "output": _described(change(refs.expected(problem, case.inputs)))})
    outcome = RunOutcome(frames=[{"type": "results", "results": results, "warnings": []}])
    verdict = grade(problem, Mode.SUBMIT, "x.py", list(problem.cases), outcome, refs, Limits(), False)
    if hinted:
        assert verdict.status is Status.WRONG_ANSWER and "sign flipped" in verdict.hint
    else:
        assert verdict.status is Status.ACCEPTED and verdict.hint is None


def variant_report() -> dict[str, int]:
    """How often each detector fires on the project's own misconception variants (run this file as a script)."""
    from collections import Counter

    from playground.problems import all_problems

    refs, counts = ReferenceCache(), Counter()
    for problem in all_problems().values():
        for misconception in problem.misconceptions:
            answers = []
            for case in problem.cases:
                expected = refs.expected_parts(problem, case.inputs)
                got = refs.variant(problem, misconception.name, case.inputs) or [None] * len(expected)
                answers.append(Answered(case.name, case.hidden, got, expected))
            found = find_near_miss(answers, problem.output_names, problem.rtol, problem.atol)
            counts[found.detector if found else "none"] += 1
            print(f"{problem.id}/{misconception.name}: {found.detector + ': ' + found.hint if found else '-'}")
    return dict(counts)


if __name__ == "__main__":
    print(variant_report())


def test_parts_returned_in_another_order_are_named():
    answers = [Answered("example_1", False, [np.asarray(B), np.asarray(A)], [A, B])]
    found = find_near_miss(answers, ("mean", "var"), RTOL, ATOL)
    assert found is not None and found.detector == "parts_swapped"
    assert "`mean` holds what `var` should" in found.hint


def test_a_part_equal_to_itself_is_no_swap():
    answers = [Answered("example_1", False, [np.asarray(A), np.asarray(-B)], [A, B])]
    found = find_near_miss(answers, ("output", "weights"), RTOL, ATOL)
    assert found is not None and found.detector == "sign_flip"


@pytest.mark.parametrize(
    "moved, words",
    [
        (lambda e: np.concatenate([[9.0], e[:-1]]), "moved by one position along axis 0"),
        (lambda e: e[::-1], "reverse order along axis 0"),
    ],
)
def test_values_moved_or_reversed_along_an_axis(moved, words):
    found = _found([(moved(V), V)])
    assert found is not None and words in found.hint


def test_a_factor_near_one_in_one_test_does_not_hide_a_changing_factor():
    # A count n / (n - 1) with a large n gives 1.0005 in one test, 1.5 and 2 in the others.
    found = _found([(1.0005 * A, A), (1.5 * B, B), (2.0 * T3, T3)])
    assert found is not None and found.detector == "constant_factor" and "changes from test to test" in found.hint
    near_one = _found([(1.0002 * A, A), (0.9998 * B, B)])
    assert near_one is None or near_one.detector != "constant_factor"


def test_a_one_row_test_does_not_hide_a_per_column_scale():
    scale, shift = np.array([2.0, -1.0, 0.5, 3.0]), np.array([0.1, 0.0, -0.2, 1.0])
    one_row = A[:1]
    found = _found([(A * scale + shift, A), (one_row * scale + shift, one_row)])
    assert found is not None and found.detector == "feature_affine"
