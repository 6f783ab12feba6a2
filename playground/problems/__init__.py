"""Problem registry: each folder with a problem.toml is one problem; the judge and page find them here."""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

LOG = logging.getLogger(__name__)
PROBLEMS_DIR = Path(__file__).resolve().parent
SOLUTIONS_DIR = PROBLEMS_DIR.parents[1] / "solutions"


class ArgumentKind:
    """How the harness passes one argument to the learner's function."""

    FLOAT = "float"
    F32_VECTOR = "f32_vector"
    F32_MATRIX = "f32_matrix"


@dataclass(frozen=True)
class Argument:
    """One positional argument of the entry point."""

    name: str
    kind: str


@dataclass(frozen=True)
class Case:
    """One test: its inputs by argument name, and whether it is hidden."""

    name: str
    inputs: dict[str, Any]
    hidden: bool = False


@dataclass(frozen=True)
class Misconception:
    """A known wrong answer: trusted code that computes it, and the hint it earns."""

    name: str
    hint: str
    compute: Callable[[dict[str, Any]], np.ndarray]
    # Words quoted from one bullet of the statement's Pitfalls: the pitfall this variant proves.
    pitfall: str = ""


@dataclass(frozen=True)
class ErrorHint:
    """Advice for an exception whose "Type: message" text matches the pattern."""

    pattern: str
    hint: str
    # Words quoted from one bullet of the statement's Pitfalls, and a real error text of that
    # mistake that the pattern must match (the self-test checks both).
    pitfall: str = ""
    example: str = ""

    def matches(self, text: str) -> bool:
        """True when the exception text matches this hint's pattern."""
        return re.search(self.pattern, text, flags=re.IGNORECASE | re.DOTALL) is not None


@dataclass(frozen=True)
class ParamFinding:
    """What a problem concluded from the parameters the learner's module created."""

    message: str
    hint: str


@dataclass(frozen=True)
class ParamPitfall:
    """A statement pitfall caught by check_params: the parameter shapes that mistake creates."""

    pitfall: str  # words quoted from one bullet of the statement's Pitfalls
    shapes: Callable[[dict[str, Any]], list[tuple[int, ...]]]


@dataclass(frozen=True)
class Heatmap:
    """A matrix a problem draws for a visible test: the learner's beside the reference's."""

    title: str
    learner: list[Any] | None  # None draws the reference alone, with the note in the learner's place
    reference: list[Any] | None
    note: str | None = None


@dataclass(frozen=True)
class Problem:
    """Everything the judge and the page need to know about one problem."""

    id: str
    title: str
    order: int
    entry_point: str
    arguments: tuple[Argument, ...]
    statement: str
    starter: str
    cases: tuple[Case, ...]
    rtol: float
    atol: float
    misconceptions: tuple[Misconception, ...]
    error_hints: tuple[ErrorHint, ...]
    starter_hint: str
    parse_custom_input: Callable[[dict[str, str]], tuple[dict[str, Any] | None, str | None]]
    hints: tuple[str, ...]  # revealed one at a time on the page, gentlest first
    warmup: str  # file beside the problem, loaded by path in the zygote; warm(inputs) per shape
    shape_arguments: tuple[str, ...] = ()  # float arguments that set shapes (kept when warming)
    custom_fields: tuple[str, ...] = field(default=())
    # Names of the parts of a tuple (or dict) answer; empty when the answer is one array.
    output_names: tuple[str, ...] = ()
    # Structural check of the nnx.Params the learner's module created, by shape.
    check_params: Callable[[dict[str, Any], list[tuple[int, ...]]], ParamFinding | None] | None = None
    # The shape of the parameter drawn as "the kernel" on the page, when there is one.
    kernel_shape: Callable[[dict[str, Any]], tuple[int, ...]] | None = None
    # Statement pitfalls whose detector is check_params rather than a misconception or error hint.
    param_pitfalls: tuple[ParamPitfall, ...] = ()
    # More pictures for a visible test, from its inputs, the answer's parts (None when unusable)
    # and the expected parts: e.g. an image and its feature maps.
    heatmaps: Callable[[dict[str, Any], list[Any] | None, list[np.ndarray]], list[Heatmap]] | None = None

    def visible_cases(self) -> tuple[Case, ...]:
        """The examples a learner sees and Run executes."""
        return tuple(c for c in self.cases if not c.hidden)

    def cases_for(self, mode: str) -> tuple[Case, ...]:
        """The tests a mode runs: visible ones for run, all for submit."""
        return self.visible_cases() if mode == "run" else self.cases

    def solution_source(self) -> str:
        """The reference solution's source text, for the page to reveal after a submission."""
        return (SOLUTIONS_DIR / f"{self.id}.py").read_text(encoding="utf-8")

    def reference(self) -> Callable[..., Any]:
        """The trusted reference entry point, loaded from solutions/."""
        return _load_reference(self.id, self.entry_point)


@cache
def _load_reference(problem_id: str, entry_point: str) -> Callable[..., Any]:
    path = SOLUTIONS_DIR / f"{problem_id}.py"
    spec = importlib.util.spec_from_file_location(f"solutions_{problem_id}", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"no reference solution at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, entry_point)


_broken: dict[str, str] = {}


@cache
def all_problems() -> dict[str, Problem]:
    """Every problem by id, in track order; a folder that fails to load is left out.

    A problem is a folder here holding a problem.toml (see playground/problems/declared.py). Its
    id is the folder's name, and so is the learner's function's name: the id is written nowhere
    else, so a folder cannot claim another's id.
    """
    from playground.problems.declared import is_declared, load_problem

    found = []
    for folder in sorted(p for p in PROBLEMS_DIR.iterdir() if p.is_dir() and is_declared(p)):
        try:
            found.append(load_problem(folder, f"{__name__}.{folder.name}"))
        except Exception as exc:  # noqa: BLE001 - one broken problem must not take the others down
            _broken[folder.name] = f"{type(exc).__name__}: {exc}"
            LOG.error("problem folder %r could not be loaded: %s", folder.name, exc)
    return {p.id: p for p in sorted(found, key=lambda p: p.order)}


def broken_problems() -> dict[str, str]:
    """Problem folders that failed to load, with the reason (empty when all loaded)."""
    all_problems()
    return dict(_broken)


def get_problem(problem_id: str) -> Problem:
    """The problem with this id; KeyError naming the known ids otherwise."""
    problems = all_problems()
    if problem_id not in problems:
        known = ", ".join(problems) or "none"
        raise KeyError(f"unknown problem {problem_id!r}; known problems: {known}")
    return problems[problem_id]
