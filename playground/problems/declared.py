"""A problem folder read into a Problem: its facts from problem.toml, its code from a few Python files.

The folder's name is the problem's id and the name of the learner's function (the entry point), so
neither is written in the folder. problem.toml holds the words and numbers (title, order,
arguments, tolerances, hints, error hints, the custom-input fields); Python holds only what has
to run: cases.py (CASES), misconceptions.py (MISCONCEPTIONS) and, when the problem has any,
checks.py (check_params, kernel_shape, heatmaps, check_custom_input, PARAM_PITFALLS).
"""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from playground.problems import Argument, ArgumentKind, Case, ErrorHint, Problem
from playground.problems.common import (
    CAST_HINT,
    INIT_APPLY_HINT,
    MAX_SEED,
    Field,
    cast_hints,
    custom_input_parser,
    import_hints,
)

FACTS_FILE = "problem.toml"
KINDS = {ArgumentKind.FLOAT, ArgumentKind.F32_VECTOR, ArgumentKind.F32_MATRIX}
KEYS = {
    "title", "order", "rtol", "atol", "arguments", "shape_arguments", "output_names", "custom_fields",
    "cast_hint", "starter_hint", "hints", "error_hints", "custom_input",
}  # fmt: skip
CHECKS = ("check_params", "kernel_shape", "heatmaps")


class ProblemFolderError(ValueError):
    """A problem folder whose problem.toml says something the loader cannot use; the message says what."""


def is_declared(folder: Path) -> bool:
    """True when the folder declares a problem (it holds a problem.toml)."""
    return (folder / FACTS_FILE).is_file()


def load_problem(folder: Path, package: str) -> Problem:
    """The Problem declared in `folder`, whose modules import as `package`.<name>."""
    problem_id = folder.name
    with (folder / FACTS_FILE).open("rb") as file:
        facts = tomllib.load(file)
    unknown = sorted(set(facts) - KEYS)
    if unknown:
        raise ProblemFolderError(
            f"{problem_id}/{FACTS_FILE}: unknown key(s) {', '.join(unknown)}; the id and the entry point "
            "are the folder's name, and the known keys are " + ", ".join(sorted(KEYS))
        )
    arguments = _arguments(problem_id, facts.get("arguments", {}))
    checks = _optional_module(folder, f"{package}.checks")
    fields = tuple(_field(entry) for entry in facts.get("custom_input", ()))
    return Problem(
        id=problem_id,
        title=facts["title"],
        order=facts["order"],
        entry_point=problem_id,
        arguments=arguments,
        statement=(folder / "statement.md").read_text(encoding="utf-8"),
        starter=(folder / "starter.py").read_text(encoding="utf-8"),
        cases=_in_argument_order(importlib.import_module(f"{package}.cases").CASES, arguments),
        rtol=float(facts["rtol"]),
        atol=float(facts["atol"]),
        misconceptions=importlib.import_module(f"{package}.misconceptions").MISCONCEPTIONS,
        error_hints=_error_hints(facts.get("error_hints", ()), facts.get("cast_hint", CAST_HINT)),
        starter_hint=facts["starter_hint"],
        parse_custom_input=_parser(fields, getattr(checks, "check_custom_input", None)),
        hints=tuple(facts["hints"]),
        warmup="warmup.py",
        shape_arguments=tuple(facts.get("shape_arguments", ())),
        custom_fields=tuple(facts.get("custom_fields", [f.name for f in fields])),
        output_names=tuple(facts.get("output_names", ())),
        param_pitfalls=tuple(getattr(checks, "PARAM_PITFALLS", ())),
        **{name: getattr(checks, name, None) for name in CHECKS},
    )


def _arguments(problem_id: str, declared: dict[str, str]) -> tuple[Argument, ...]:
    bad = [f"{name} = {kind!r}" for name, kind in declared.items() if kind not in KINDS]
    if bad or not declared:
        raise ProblemFolderError(
            f"{problem_id}/{FACTS_FILE}: [arguments] must map each argument, in order, to one of "
            f"{', '.join(sorted(KINDS))}; got {', '.join(bad) or 'none'}"
        )
    return tuple(Argument(name, kind) for name, kind in declared.items())


def _in_argument_order(cases: tuple[Case, ...], arguments: tuple[Argument, ...]) -> tuple[Case, ...]:
    # Inputs travel as JSON objects: keep their keys in the order the function takes them.
    return tuple(Case(c.name, {a.name: c.inputs[a.name] for a in arguments}, c.hidden) for c in cases)


SHARED_HINTS: dict[str, Callable[[str], tuple[ErrorHint, ...]]] = {
    "cast": cast_hints,
    "imports": lambda _: import_hints(),
    "init_apply": lambda _: (INIT_APPLY_HINT,),
}


def _error_hints(entries: list[dict[str, str]], cast_hint: str) -> tuple[ErrorHint, ...]:
    hints: list[ErrorHint] = []
    for entry in entries:
        shared = entry.get("shared")
        if shared is None:
            # An error hint without words of its own says the cast hint (the mistake is a missing int()).
            hints.append(ErrorHint(**({"hint": cast_hint} | entry)))
        elif shared in SHARED_HINTS:
            hints.extend(SHARED_HINTS[shared](cast_hint))
        else:
            raise ProblemFolderError(f"unknown shared error hint {shared!r}; known: {', '.join(SHARED_HINTS)}")
    return tuple(hints)


def _field(entry: dict[str, Any]) -> Field:
    # Every seed is the same field: a whole number up to the largest seed, 0 as the example.
    if entry.get("kind") == "seed":
        return Field(entry["name"], "whole", 0, MAX_SEED, "0")
    return Field(**entry)


def _parser(
    fields: tuple[Field, ...], check: Callable[[dict[str, Any]], str | None] | None
) -> Callable[[dict[str, str]], tuple[dict | None, str | None]]:
    parse_fields = custom_input_parser(*fields)
    if check is None:
        return parse_fields

    def parse(texts: dict[str, str]) -> tuple[dict | None, str | None]:
        inputs, problem = parse_fields(texts)
        if problem is None:
            problem = check(inputs)
        return (None, problem) if problem else (inputs, None)

    return parse


def _optional_module(folder: Path, name: str) -> ModuleType | None:
    if not (folder / f"{name.rsplit('.', 1)[-1]}.py").is_file():
        return None
    return importlib.import_module(name)
