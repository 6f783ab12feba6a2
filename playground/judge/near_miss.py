"""Near misses: a wrong answer that equals a cheap transformation of the expected one, and what that suggests.

Each detector looks at every answered test at once and speaks only when the transformation matches
the learner's answer in all of them (within the problem's tolerance) and the answer is wrong in at
least one: a sign flip, a constant factor, a constant or per-feature offset, axes in another order,
an activation applied, left out or swapped, or a normaliser run over another axis. Numbers in a
sentence come from visible tests only, so nothing hidden leaks out.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from playground.judge.reference import ReferenceCache
from playground.problems import Case, Problem


@dataclass(frozen=True)
class Answered:
    """One test's answer beside the expected one, part by part in the problem's output order."""

    name: str
    hidden: bool
    got: list[np.ndarray | None]
    expected: list[np.ndarray]


@dataclass(frozen=True)
class NearMiss:
    """Which detector matched, and the sentence it suggests."""

    detector: str
    hint: str


@dataclass(frozen=True)
class _Pair:
    name: str
    hidden: bool
    got: np.ndarray
    expected: np.ndarray


@dataclass(frozen=True)
class _Tolerance:
    rtol: float
    atol: float

    def close(self, got: np.ndarray, want: np.ndarray) -> bool:
        return got.shape == want.shape and bool(np.all(np.abs(got - want) <= self.atol + self.rtol * np.abs(want)))


Detector = Callable[[list[_Pair], _Tolerance], str | None]

MIN_INFORMATIVE = 3  # elements a per-test fitted number needs, so one value alone proves nothing
MAX_PERMUTED_AXES = 4  # 24 orders at most


def find_near_miss(answers: Sequence[Answered], names: tuple[str, ...], rtol: float, atol: float) -> NearMiss | None:
    """The first transformation of the expected answer that every test's answer matches, or None."""
    tolerance = _Tolerance(rtol, atol)
    if not answers:
        return None
    for whole in (_non_finite, _parts_swapped):
        found = whole(answers, names, tolerance)
        if found:
            return found
    for index in range(len(answers[0].expected)):
        pairs = []
        for answer in answers:
            got = answer.got[index] if index < len(answer.got) else None
            if got is None or not np.all(np.isfinite(got)):
                break
            pairs.append(_Pair(answer.name, answer.hidden, np.asarray(got, dtype=np.float64), answer.expected[index]))
        else:
            if all(tolerance.close(p.got, p.expected) for p in pairs):
                continue
            for detector in DETECTORS:
                sentence = detector(pairs, tolerance)
                if sentence:
                    where = f"In `{names[index]}`: " if names else ""
                    return NearMiss(detector.__name__.lstrip("_"), where + sentence)
    return None


def _non_finite(answers: Sequence[Answered], names: tuple[str, ...], tolerance: _Tolerance) -> NearMiss | None:
    """NaN or infinity where the expected answer is finite."""
    for answer in answers:
        for index, (got, want) in enumerate(zip(answer.got, answer.expected, strict=False)):
            if got is None or got.shape != want.shape or np.all(np.isfinite(got)) or not np.all(np.isfinite(want)):
                continue
            where = f"`{names[index]}`" if names else "answer"
            what = "NaN (not a number)" if np.any(np.isnan(got)) else "infinity"
            return NearMiss(
                "non_finite",
                f"Your {where} holds {what} where the expected values are finite numbers: look for a softmax over "
                "a row whose every score is -inf (a mask that hides every position), a division by zero, or the "
                "square root or logarithm of a negative number.",
            )
    return None


def _parts_swapped(answers: Sequence[Answered], names: tuple[str, ...], tolerance: _Tolerance) -> NearMiss | None:
    """One named part holds what another part should (parts returned in another order, or a value reused)."""
    if len(names) < 2:
        return None
    for mine, theirs in itertools.permutations(range(len(names)), 2):
        wrong = False
        for answer in answers:
            got = answer.got[mine] if mine < len(answer.got) else None
            if got is None or not np.all(np.isfinite(got)):
                break
            if tolerance.close(got, answer.expected[mine]):
                continue
            if not tolerance.close(got, answer.expected[theirs]):
                break
            wrong = True
        else:
            if wrong:
                return NearMiss(
                    "parts_swapped",
                    f"Your `{names[mine]}` holds what `{names[theirs]}` should: check the order of the values you "
                    f"return, ({', '.join(names)}), and that each one is computed from the right thing.",
                )
    return None


def _holds(
    pairs: list[_Pair],
    tolerance: _Tolerance,
    matches: Callable[[_Pair], bool],
    judgeable: Callable[[_Pair], bool] = lambda _: True,
) -> bool:
    """True when every wrong test's answer matches (right ones may pass as they are), and one is wrong.

    A test too small to tell (one row, where a per-column fit always succeeds) is left out, as long
    as another wrong test is judged.
    """
    seen_wrong = False
    for pair in pairs:
        if tolerance.close(pair.got, pair.expected) or not judgeable(pair):
            continue
        with np.errstate(all="ignore"):
            if not matches(pair):
                return False
        seen_wrong = True
    return seen_wrong


def _becomes(tolerance: _Tolerance, transform: Callable[[np.ndarray, _Pair], np.ndarray | None]) -> Callable[[_Pair], bool]:
    """A test matches when the learner's answer equals the transformed expected one."""

    def matches(pair: _Pair) -> bool:
        changed = transform(pair.expected, pair)
        return changed is not None and bool(np.all(np.isfinite(changed))) and tolerance.close(pair.got, changed)

    return matches


def _transposed(pairs: list[_Pair], tolerance: _Tolerance) -> str | None:
    ndim = pairs[0].expected.ndim
    if not 2 <= ndim <= MAX_PERMUTED_AXES or any(p.expected.ndim != ndim for p in pairs):
        return None
    for order in itertools.permutations(range(ndim)):
        if order == tuple(range(ndim)):
            continue
        if _holds(pairs, tolerance, _becomes(tolerance, lambda e, _, order=order: np.transpose(e, order))):
            if ndim == 2:
                return "Your answer is the expected one transposed: rows and columns are swapped."
            return (
                f"Your answer holds the expected values with its axes in another order (the expected "
                f"array's axes taken as {order}): check which axis is which."
            )
    return None


def _sign_flip(pairs: list[_Pair], tolerance: _Tolerance) -> str | None:
    if _holds(pairs, tolerance, _becomes(tolerance, lambda e, _: -e)):
        return (
            "Your answer is the expected one with its sign flipped: look for a subtraction the wrong "
            "way round, or a minus sign too many or too few."
        )
    return None


def _constant_factor(pairs: list[_Pair], tolerance: _Tolerance) -> str | None:
    factors: dict[str, float] = {}
    for pair in pairs:
        if tolerance.close(pair.got, pair.expected):
            continue
        energy = float(np.sum(pair.expected * pair.expected))
        if energy == 0.0 or pair.got.shape != pair.expected.shape:
            return None
        factor = float(np.sum(pair.got * pair.expected)) / energy
        if not tolerance.close(pair.got, factor * pair.expected):
            return None
        factors[pair.name] = factor
    if not factors:
        return None
    values = list(factors.values())
    # A factor near 1 (or -1) in one test is fine when the factor moves from test to test (a count
    # n / (n - 1) with a large n); near 1 everywhere, it is no constant factor, and -1 is a sign flip.
    if all(abs(abs(v) - 1.0) < 1e-3 for v in values):
        return None
    same = all(math.isclose(v, values[0], rel_tol=1e-3, abs_tol=1e-9) for v in values)
    informative = all(int(np.count_nonzero(p.expected)) >= MIN_INFORMATIVE for p in pairs if p.name in factors)
    if not informative and not (same and len(values) >= 2):
        return None  # a single number times another single number proves nothing
    if all(abs(v) < 1e-9 for v in values):
        return None  # all zeros: _all_zeros says so
    if same:
        # A number worked out from hidden tests alone could spell out a hidden value: words only then.
        shown = _factor(values[0]) if any(not _hidden(pairs, name) for name in factors) else "the same number"
        return (
            f"Every value of your answer is {shown} times the expected one: look for a constant "
            "factor, such as a 1/2, a 2, or a division by a count, that is missing or extra."
        )
    shown = next(((name, f) for name, f in factors.items() if not _hidden(pairs, name)), None)
    example = f" ({_factor(shown[1])} in {shown[0]})" if shown else ""
    return (
        f"In every test your answer is the expected one times a factor, but the factor changes from test "
        f"to test{example}: a factor that depends on the inputs (a size, a count or a rate) is missing, "
        "extra or inverted, e.g. a sum where a mean belongs."
    )


def _all_zeros(pairs: list[_Pair], tolerance: _Tolerance) -> str | None:
    if _holds(pairs, tolerance, lambda p: p.got.shape == p.expected.shape and not np.any(p.got)):
        return (
            "Your answer is all zeros where the expected one is not: check that you return the computed "
            "value, not one that was never filled in or updated."
        )
    return None


def _has_rows(least: int) -> Callable[[_Pair], bool]:
    """Tests whose expected answer has at least `least` rows (a per-column fit needs several)."""
    return lambda pair: pair.expected.ndim >= 2 and pair.expected.size // pair.expected.shape[-1] >= least


def _feature_affine(pairs: list[_Pair], tolerance: _Tolerance) -> str | None:
    """Each column of the answer is a*expected + b with its own a and b (a learned scale and shift)."""

    def refit(e: np.ndarray, pair: _Pair) -> np.ndarray | None:
        if e.ndim != 2 or pair.got.shape != e.shape or e.shape[0] < MIN_INFORMATIVE:
            return None
        fitted = np.empty_like(e)
        for column in range(e.shape[1]):
            design = np.stack([e[:, column], np.ones(e.shape[0])], axis=1)
            coefficients, *_ = np.linalg.lstsq(design, pair.got[:, column], rcond=None)
            fitted[:, column] = design @ coefficients
        return fitted

    if _holds(pairs, tolerance, _becomes(tolerance, refit), _has_rows(MIN_INFORMATIVE)):
        return (
            "Each column of your answer is the expected column scaled and shifted by numbers of its own: the "
            "per-feature scale and bias (what multiplies each feature and what is added to it) are not the expected ones."
        )
    return None


def _offset(pairs: list[_Pair], tolerance: _Tolerance) -> str | None:
    def constant(e: np.ndarray, pair: _Pair) -> np.ndarray | None:
        return e + float(np.mean(pair.got - e)) if pair.got.shape == e.shape and e.size >= MIN_INFORMATIVE else None

    def per_feature(e: np.ndarray, pair: _Pair) -> np.ndarray | None:
        if e.ndim < 2 or pair.got.shape != e.shape or e.size // e.shape[-1] < 2:
            return None
        rows = (pair.got - e).reshape(-1, e.shape[-1])
        return e + rows.mean(axis=0)

    if _holds(pairs, tolerance, _becomes(tolerance, constant)):
        shown = next((p for p in pairs if not p.hidden and not tolerance.close(p.got, p.expected)), None)
        amount = f" ({float(np.mean(shown.got - shown.expected)):.4g} in {shown.name})" if shown else ""
        return (
            f"Your answer differs from the expected one by the same amount everywhere{amount}: a constant "
            "term, such as a bias or a mean, is missing or extra."
        )
    if _holds(pairs, tolerance, _becomes(tolerance, per_feature), _has_rows(2)):
        return (
            "Your answer differs from the expected one by the same vector in every row (one value per "
            "column): a per-feature term, such as a bias, is missing, extra or not the right one."
        )
    return None


def _shifted(pairs: list[_Pair], tolerance: _Tolerance) -> str | None:
    """The expected values moved one position along an axis (an index or a range off by one)."""
    ndim = pairs[0].expected.ndim
    if ndim < 1 or any(p.expected.ndim != ndim or p.got.shape != p.expected.shape for p in pairs):
        return None
    for axis in range(ndim):
        for step in (1, -1):

            def moved(pair: _Pair, axis: int = axis, step: int = step) -> bool:
                length = pair.expected.shape[axis]
                if length < MIN_INFORMATIVE:
                    return False
                got = np.moveaxis(pair.got, axis, 0)
                want = np.moveaxis(pair.expected, axis, 0)
                return tolerance.close(got[1:], want[:-1]) if step == 1 else tolerance.close(got[:-1], want[1:])

            if _holds(pairs, tolerance, moved):
                return (
                    f"Your answer holds the expected values moved by one position along axis {axis}: look for an "
                    "index, a slice or a range that is off by one."
                )
    return None


def _reversed(pairs: list[_Pair], tolerance: _Tolerance) -> str | None:
    ndim = pairs[0].expected.ndim
    if ndim < 1 or any(p.expected.ndim != ndim for p in pairs):
        return None
    for axis in range(ndim):
        if _holds(pairs, tolerance, _becomes(tolerance, lambda e, _, axis=axis: np.flip(e, axis) if e.shape[axis] > 1 else None)):
            return (
                f"Your answer holds the expected values in reverse order along axis {axis}: look for an index "
                "counted from the wrong end, or an array flipped."
            )
    return None


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz and Stegun 7.1.26, error below 1.5e-7: plenty for comparing at the problems' tolerances.
    t = 1.0 / (1.0 + 0.3275911 * np.abs(x))
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.sign(x) * (1.0 - poly * np.exp(-x * x))


def _gelu_exact(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "a ReLU": lambda x: np.maximum(x, 0.0),
    "a sigmoid": _sigmoid,
    "a tanh": np.tanh,
    "a GELU": _gelu_tanh,
    "an exact GELU": _gelu_exact,
    "a SiLU (swish)": lambda x: x * _sigmoid(x),
    "a softplus": lambda x: np.logaddexp(x, 0.0),
}

# What an activation gives for inputs at or below zero, where a ReLU gives 0: (lowest, highest).
BELOW_ZERO = {
    "a GELU": (-0.17, 0.0),
    "an exact GELU": (-0.17, 0.0),
    "a SiLU (swish)": (-0.28, 0.0),
    "a softplus": (0.0, math.log(2.0)),
    "a sigmoid": (0.0, 0.5),
    "a tanh": (-1.0, 0.0),
}


def _extra_activation(pairs: list[_Pair], tolerance: _Tolerance) -> str | None:
    for name, act in ACTIVATIONS.items():
        if _holds(pairs, tolerance, _becomes(tolerance, lambda e, _, act=act: act(e))):
            return f"Your answer is the expected one passed through {name}: an activation was applied where none belongs."
    return None


def _missing_activation(pairs: list[_Pair], tolerance: _Tolerance) -> str | None:
    for name, act in ACTIVATIONS.items():
        if _holds(pairs, tolerance, lambda p, act=act: p.got.shape == p.expected.shape and tolerance.close(act(p.got), p.expected)):
            return f"Your answer looks like the expected one before its final activation: apply {name} to the output."
    return None


def _swapped_activation(pairs: list[_Pair], tolerance: _Tolerance) -> str | None:
    """Expected relu(z), got act(z): equal to act(expected) where positive, act's range where zero."""
    if any(p.got.shape != p.expected.shape or np.any(p.expected < 0) for p in pairs):
        return None
    for name, (low, high) in BELOW_ZERO.items():
        act = ACTIVATIONS[name]

        def plausible(e: np.ndarray, pair: _Pair, act=act, low=low, high=high) -> np.ndarray | None:
            zero = e <= tolerance.atol
            inside = (pair.got >= low - tolerance.atol) & (pair.got <= high + tolerance.atol)
            if not np.all(inside[zero]) or not np.any(~zero):
                return None
            return np.where(zero, pair.got, act(e))

        if _holds(pairs, tolerance, _becomes(tolerance, plausible)):
            return f"Your answer looks like {name} where a ReLU belongs: the expected values are max(z, 0)."
    return None


def _other_axis(pairs: list[_Pair], tolerance: _Tolerance) -> str | None:
    """A normaliser (values summing to 1, or mean 0 and variance 1) run along another axis."""
    ndim = pairs[0].expected.ndim
    if ndim < 2 or any(p.got.shape != p.expected.shape for p in pairs):
        return None
    for label, holds in (("sum to 1", _sums_to_one), ("have mean 0 and variance 1", _standardised)):
        for want, wrong in itertools.permutations(range(ndim), 2):
            if not all(holds(p.expected, want) for p in pairs):
                continue
            if _holds(pairs, tolerance, lambda p, holds=holds, want=want, wrong=wrong: holds(p.got, wrong) and not holds(p.got, want)):
                return (
                    f"Your values {label} along axis {wrong}, the expected ones along axis {want}: the "
                    "normalisation ran over another axis."
                )
    return None


def _sums_to_one(x: np.ndarray, axis: int) -> bool:
    return x.shape[axis] > 1 and bool(np.all(x >= -1e-6)) and bool(np.allclose(x.sum(axis=axis), 1.0, atol=1e-4))


def _standardised(x: np.ndarray, axis: int) -> bool:
    if x.shape[axis] < 2:
        return False
    return bool(np.allclose(x.mean(axis=axis), 0.0, atol=1e-3)) and bool(np.allclose(x.var(axis=axis), 1.0, atol=1e-2))


def _hidden(pairs: list[_Pair], name: str) -> bool:
    return next(p.hidden for p in pairs if p.name == name)


def _factor(value: float) -> str:
    for whole in range(2, 11):
        if math.isclose(value, 1.0 / whole, rel_tol=1e-3):
            return f"1/{whole}"
        if math.isclose(value, -1.0 / whole, rel_tol=1e-3):
            return f"-1/{whole}"
    return f"{value:.4g}"


DETECTORS: tuple[Detector, ...] = (
    _transposed,
    _sign_flip,
    _all_zeros,
    _constant_factor,
    _offset,
    _reversed,
    _shifted,
    _extra_activation,
    _missing_activation,
    _swapped_activation,
    _other_axis,
    _feature_affine,
)


def near_miss_hint(problem: Problem, answers: Sequence[tuple[Case, list[np.ndarray | None]]], refs: ReferenceCache) -> str | None:
    """The near-miss sentence for a wrong submission's answers (each test's case and parts), or None."""
    found = find_near_miss(
        [Answered(case.name, case.hidden, got, refs.expected_parts(problem, case.inputs)) for case, got in answers],
        problem.output_names,
        problem.rtol,
        problem.atol,
    )
    return found.hint if found else None
