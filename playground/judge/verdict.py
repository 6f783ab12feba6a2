"""The judge's result types and the one place they are serialised to the JSON contract."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from typing import Any

from playground.judge.model_state import ModelState
from playground.problems.panels import Chart

CONTRACT_VERSION = 2  # 2: the status internal_error


class Status(enum.StrEnum):
    """Overall outcome of judging one source file."""

    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    RUNTIME_ERROR = "runtime_error"
    COMPILE_ERROR = "compile_error"
    TIME_LIMIT_EXCEEDED = "time_limit_exceeded"
    MEMORY_LIMIT_EXCEEDED = "memory_limit_exceeded"
    OUTPUT_LIMIT_EXCEEDED = "output_limit_exceeded"
    INTERNAL_ERROR = "internal_error"  # the playground failed, not the code

    @property
    def words(self) -> str:
        """The status as the page names it, e.g. "Wrong answer" or "Internal error"."""
        return self.value.replace("_", " ").capitalize()

    @property
    def is_ours(self) -> bool:
        """True when the playground, not the learner's code, is to blame (internal_error)."""
        return self is Status.INTERNAL_ERROR


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
    charts: list[Chart] = field(default_factory=list)  # the problem's own panels (playground.problems.panels)


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

    @property
    def recordable(self) -> bool:
        """False for internal_error: our failure is no attempt of the learner's (not stored, no progress)."""
        return not self.status.is_ours

    def to_dict(self, *, with_figures: bool = False) -> dict[str, Any]:
        """The verdict as the exact JSON object of the judge contract; `with_figures` adds the page's charts."""
        out = {
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
        if with_figures:
            out["figures"] = [figures_to_dict(f) for f in self.figures]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        """The verdict back from `to_dict(with_figures=True)`: its to_dict() is the same, field for field."""
        return cls(
            problem=data["problem"],
            file=data["file"],
            mode=Mode(data["mode"]),
            status=Status(data["status"]),
            message=data["message"],
            hint=data.get("hint"),
            tests=[_test_from_dict(t) for t in data.get("tests", [])],
            stdout=data.get("stdout", ""),
            warnings=list(data.get("warnings", [])),
            elapsed_ms=float(data.get("elapsed_ms", 0.0)),
            figures=[figures_from_dict(f) for f in data.get("figures", [])],
        )


def internal_error_message(detail: str) -> str:
    """The message of an internal_error verdict: what failed, that it is ours, and to try again."""
    return f"The playground failed while judging this code ({detail}); this is our fault, not your code's: please try again."


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


def _float_list(values: list[Any] | None) -> list[Any] | None:
    # The inverse of _json_list: "NaN" and "Infinity" spelled as strings become floats again.
    if values is None:
        return None
    return [_float_list(v) if isinstance(v, list) else (float(v) if isinstance(v, str) else v) for v in values]


def _test_from_dict(data: dict[str, Any]) -> TestResult:
    return TestResult(
        name=data["name"],
        hidden=bool(data["hidden"]),
        passed=bool(data["passed"]),
        message=data["message"],
        max_abs_error=data.get("max_abs_error"),
        input=data.get("input"),
        expected=_float_list(data.get("expected")),
        got=_float_list(data.get("got")),
    )


def figures_to_dict(figures: Figures) -> dict[str, Any]:
    """One visible test's chart data as JSON-ready dicts (the one serialiser: the queue's wire and the store use it)."""
    return {
        "test_name": figures.test_name,
        "learner_kernel": _json_list(figures.learner_kernel),
        "reference_kernel": _json_list(figures.reference_kernel),
        "kernel_note": figures.kernel_note,
        "got": _json_list(figures.got),
        "expected": _json_list(figures.expected),
        "panels": [
            {
                "kind": p.kind,
                "title": p.title,
                "learner": _json_list(p.learner),
                "reference": _json_list(p.reference),
                "note": p.note,
            }
            for p in figures.panels
        ],
        "learner_state": figures.learner_state.to_dict() if figures.learner_state else None,
        "reference_state": figures.reference_state.to_dict() if figures.reference_state else None,
        "charts": [_chart_to_dict(c) for c in figures.charts],
    }


def _chart_to_dict(chart: Chart) -> dict[str, Any]:
    return {
        "kind": chart.kind,
        "title": chart.title,
        "learner": _json_list(chart.learner),
        "reference": _json_list(chart.reference),
        "note": chart.note,
        "names": list(chart.names),
        "marked_learner": list(chart.marked_learner),
        "marked_reference": list(chart.marked_reference),
        "masked": chart.masked,
        "value_range": list(chart.value_range) if chart.value_range else None,
        "x_title": chart.x_title,
        "y_title": chart.y_title,
        "x_labels": list(chart.x_labels),
    }


def _chart_from_dict(data: dict[str, Any]) -> Chart:
    value_range = data.get("value_range")
    return Chart(
        kind=data["kind"],
        title=data["title"],
        learner=_float_list(data.get("learner")),
        reference=_float_list(data.get("reference")),
        note=data.get("note"),
        names=tuple(data.get("names") or ()),
        marked_learner=tuple(data.get("marked_learner") or ()),
        marked_reference=tuple(data.get("marked_reference") or ()),
        masked=data.get("masked"),
        value_range=(float(value_range[0]), float(value_range[1])) if value_range else None,
        x_title=data.get("x_title", ""),
        y_title=data.get("y_title", ""),
        x_labels=tuple(data.get("x_labels") or ()),
    )


def figures_from_dict(data: dict[str, Any]) -> Figures:
    """Figures back from figures_to_dict's output (a missing `charts`, as older data has, reads as none)."""
    return Figures(
        test_name=data["test_name"],
        learner_kernel=_float_list(data.get("learner_kernel")),
        reference_kernel=_float_list(data.get("reference_kernel")),
        kernel_note=data.get("kernel_note"),
        got=_float_list(data.get("got")),
        expected=_float_list(data.get("expected")),
        panels=[
            Panel(p["kind"], p["title"], _float_list(p.get("learner")), _float_list(p.get("reference")), p.get("note"))
            for p in data.get("panels", [])
        ],
        learner_state=ModelState.from_dict(data.get("learner_state")),
        reference_state=ModelState.from_dict(data.get("reference_state")),
        charts=[_chart_from_dict(c) for c in data.get("charts", [])],
    )
