"""Compares what the learner returned (as described by the worker) with the expected array."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_ELEMENTS = 1 << 16


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing one output with its expected value."""

    passed: bool
    message: str
    max_abs_error: float | None
    got: np.ndarray | None


def decode_output(described: Any) -> tuple[np.ndarray | None, str | None]:
    """The learner's returned value as an array, or a sentence saying why it is not one."""
    if not isinstance(described, dict):
        return None, "The result could not be read back from the sandbox."
    kind = described.get("kind")
    if kind == "none":
        return None, "Your function returned None: add a return statement that returns the output."
    if kind == "text":
        return None, f"Your function returned a {_name(described.get('type'))}, not an array of numbers."
    if kind == "object":
        return None, f"Your function returned a {_name(described.get('type'))}, which is not an array of numbers."
    shape = described.get("shape")
    if kind == "too_big":
        return None, "Your function returned an array far larger than expected."
    if not _valid_shape(shape):
        return None, "The result could not be read back from the sandbox."
    data = described.get("data")
    if kind != "array" or not isinstance(data, list) or len(data) != math.prod(shape):
        return None, "The result could not be read back from the sandbox."
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in data):
        return None, "The result could not be read back from the sandbox."
    return np.asarray(data, dtype=np.float64).reshape(shape), None


def _valid_shape(shape: Any) -> bool:
    return (
        isinstance(shape, list)
        and len(shape) <= 8
        and all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_ELEMENTS for n in shape)
        and math.prod(shape) <= MAX_ELEMENTS
    )


def _name(value: Any) -> str:
    return str(value)[:60] if value else "value"


def compare_output(described: Any, expected: np.ndarray, rtol: float, atol: float) -> Comparison:
    """Check shape exactly and values within atol + rtol * |expected|."""
    got, problem = decode_output(described)
    if got is None:
        return Comparison(False, problem or "No output.", None, None)
    if got.shape != expected.shape:
        return Comparison(
            False,
            f"Your output has shape {got.shape}; expected shape {expected.shape}.",
            None,
            got,
        )
    if not np.all(np.isfinite(got)):
        bad = "NaN" if np.any(np.isnan(got)) else "infinity"
        return Comparison(False, f"Your output contains {bad}; every value must be a finite number.", None, got)
    error = np.abs(got - expected)
    max_error = float(error.max()) if error.size else 0.0
    allowed = atol + rtol * np.abs(expected)
    if np.all(error <= allowed):
        return Comparison(True, "Passed.", max_error, got)
    index = int(np.argmax(error - allowed))
    where = np.unravel_index(index, expected.shape)
    position = where[0] if len(where) == 1 else tuple(int(i) for i in where)
    return Comparison(
        False,
        f"Value {position} is {got[where]:.6g}, expected {expected[where]:.6g} "
        f"(largest error {max_error:.3g}; allowed {atol:g} + {rtol:g}·|expected|).",
        max_error,
        got,
    )


@dataclass(frozen=True)
class AnswerComparison:
    """A whole answer compared part by part (a single-array answer has one part)."""

    passed: bool
    message: str
    max_abs_error: float | None
    parts: list[np.ndarray | None]


def compare_answer(
    names: tuple[str, ...], reported: dict[str, Any], expected: list[np.ndarray], rtol: float, atol: float
) -> AnswerComparison:
    """Compare a reported answer with the expected parts; with names, it must have each part."""
    if not names:
        single = compare_output(reported.get("output"), expected[0], rtol, atol)
        return AnswerComparison(single.passed, single.message, single.max_abs_error, [single.got])
    described = reported.get("outputs")
    if not isinstance(described, list) or len(described) != len(names):
        listed = ", ".join(names)
        return AnswerComparison(
            False,
            f"Return {len(names)} values, in this order: ({listed}), as a tuple (or a dict with those keys).",
            None,
            [None] * len(names),
        )
    results = [compare_output(d, e, rtol, atol) for d, e in zip(described, expected, strict=True)]
    errors = [r.max_abs_error for r in results if r.max_abs_error is not None]
    failed = next(((name, r) for name, r in zip(names, results, strict=True) if not r.passed), None)
    message = "Passed." if failed is None else f"{failed[0]}: {failed[1].message}"
    return AnswerComparison(
        failed is None,
        message,
        max(errors) if len(errors) == len(results) else None,
        [r.got for r in results],
    )


def matches(got: np.ndarray | None, other: np.ndarray, rtol: float, atol: float) -> bool:
    """True when got equals other in shape and within the tolerance."""
    if got is None or got.shape != other.shape or not np.all(np.isfinite(got)):
        return False
    return bool(np.all(np.abs(got - other) <= atol + rtol * np.abs(other)))
