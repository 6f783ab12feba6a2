"""The judge's result types and the one place they are serialised to the JSON contract."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from typing import Any

from playground.judge.model_state import ModelState

CONTRACT_VERSION = 1


class Status(enum.StrEnum):
    """Overall outcome of judging one source file."""

    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    RUNTIME_ERROR = "runtime_error"
    COMPILE_ERROR = "compile_error"
    TIME_LIMIT_EXCEEDED = "time_limit_exceeded"
    MEMORY_LIMIT_EXCEEDED = "memory_limit_exceeded"
    OUTPUT_LIMIT_EXCEEDED = "output_limit_exceeded"

    @property
    def words(self) -> str:
        """The status as the page names it, e.g. "Wrong answer"."""
        return self.value.replace("_", " ").capitalize()


class Mode(enum.StrEnum):
    """Which tests a submission runs: visible examples only, or every test."""

    RUN = "run"
    SUBMIT = "submit"


@dataclass
class TestResult:
    """The outcome of one test; hidden tests never carry input, expected or got."""

    name: str
    hidden: bool
    passed: bool
    message: str
    max_abs_error: float | None = None
    input: dict[str, Any] | None = None
    expected: list[Any] | None = None
    got: list[Any] | None = None


@dataclass
class Panel:
    """One more chart for a visible test: another parameter, or another part of the answer."""

    kind: str  # "heatmaps" (learner, reference, difference) or "bars" (learner beside reference)
    title: str
    learner: list[Any] | None
    reference: list[Any] | None
    note: str | None = None


@dataclass
class Figures:
    """Arrays the page draws for one visible test (never sent for hidden tests)."""

    test_name: str
    learner_kernel: list[list[float]] | None
    reference_kernel: list[list[float]] | None
    kernel_note: str | None
    got: list[float] | None
    expected: list[float] | None
    panels: list[Panel] = field(default_factory=list)
    learner_state: ModelState | None = None  # None: not described (e.g. the test did not run)
    reference_state: ModelState | None = None


@dataclass
class Verdict:
    """Everything the judge decided about one source file."""

    problem: str
    file: str
    mode: Mode
    status: Status
    message: str
    hint: str | None = None
    tests: list[TestResult] = field(default_factory=list)
    stdout: str = ""
    warnings: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0
    figures: list[Figures] = field(default_factory=list)

    @property
    def passed(self) -> int:
        """How many tests passed."""
        return sum(1 for t in self.tests if t.passed)

    @property
    def total(self) -> int:
        """How many tests ran."""
        return len(self.tests)

    @property
    def accepted(self) -> bool:
        """True when the status is accepted."""
        return self.status is Status.ACCEPTED

    def to_dict(self) -> dict[str, Any]:
        """The verdict as the exact JSON object of the judge contract (version 1)."""
        return {
            "version": CONTRACT_VERSION,
            "problem": self.problem,
            "file": self.file,
            "mode": self.mode.value,
            "status": self.status.value,
            "message": self.message,
            "hint": self.hint,
            "passed": self.passed,
            "total": self.total,
            "tests": [_test_to_dict(t) for t in self.tests],
            "stdout": self.stdout,
            "warnings": list(self.warnings),
            "elapsed_ms": round(float(self.elapsed_ms), 3),
        }


def _test_to_dict(test: TestResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": test.name,
        "hidden": test.hidden,
        "passed": test.passed,
        "message": test.message,
        "max_abs_error": None if test.hidden else _finite_or_none(test.max_abs_error),
    }
    if not test.hidden:
        out["input"] = test.input
        out["expected"] = _json_list(test.expected)
        out["got"] = _json_list(test.got)
    return out


def _finite_or_none(value: float | None) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def _json_float(value: float | None) -> float | str | None:
    # JSON has no NaN or infinity: spell them as strings so every consumer can parse the line.
    if value is None:
        return None
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float(value)


def _json_list(values: list[Any] | None) -> list[Any] | None:
    if values is None:
        return None
    return [_json_list(v) if isinstance(v, list) else _json_float(v) for v in values]
