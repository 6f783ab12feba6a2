"""How the learner's module state differs from the reference's, in words, most useful first."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from playground.judge.model_state import ModelState, StateVariable


class DifferenceKind(enum.StrEnum):
    """What differs; the order of the members is the order of usefulness."""

    TYPE = "type"
    MISSING = "missing"
    SHAPE = "shape"
    EXTRA = "extra"
    DTYPE = "dtype"
    RENAMED = "renamed"


_RANK = {kind: rank for rank, kind in enumerate(DifferenceKind)}


@dataclass(frozen=True)
class StateDifference:
    """One difference; the paths say which box to mark on each side (None: not on that side)."""

    kind: DifferenceKind
    words: str
    learner_path: str | None
    reference_path: str | None


def compare_states(learner: ModelState, reference: ModelState) -> list[StateDifference]:
    """Every difference between the two states, most useful first (type, missing, shape, ...)."""
    mine, theirs = learner.by_path(), reference.by_path()
    found = [d for path in theirs if path in mine and (d := _same_path(path, mine[path], theirs[path]))]
    if not (learner.truncated or reference.truncated):  # a cut list would show false missing/extra
        missing = [p for p in theirs if p not in mine]
        extra = [p for p in mine if p not in theirs]
        found += _renamed(missing, extra, mine, theirs)
        found += [_missing(prefix, [theirs[p] for p in paths]) for prefix, paths in _subtrees(missing, mine)]
        found += [_extra(prefix, [mine[p] for p in paths]) for prefix, paths in _subtrees(extra, theirs)]
    return sorted(found, key=lambda d: _RANK[d.kind])


STRONG = frozenset({DifferenceKind.TYPE, DifferenceKind.MISSING, DifferenceKind.SHAPE})


def state_hint(learner: ModelState | None, reference: ModelState | None, *, strong_only: bool = False) -> str | None:
    """One sentence naming the most useful difference (with strong_only: of type, missing or shape), or None."""
    if learner is None or reference is None or not reference.built or learner.unreadable:
        return None
    if not learner.built:
        return f"Your code built no nnx.Module; the reference builds a {reference.module} and calls it."
    # A new name for the same Variable changes no number: it cannot explain a wrong answer.
    differences = [d for d in compare_states(learner, reference) if d.kind is not DifferenceKind.RENAMED]
    if learner.modules > 1:
        # The code built several separate modules and only one is described: what the reference
        # holds and this one lacks may well be in another of them, so "missing" would be a guess.
        differences = [d for d in differences if d.kind is not DifferenceKind.MISSING]
    if strong_only:
        differences = [d for d in differences if d.kind in STRONG]
    if not differences:
        return None
    first = differences[0].words
    return f"Your module's state differs from the reference's: {first[0].lower()}{first[1:]}."


def _same_path(path: str, mine: StateVariable, theirs: StateVariable) -> StateDifference | None:
    if mine.type != theirs.type:
        words = f"{_code(path)} is {_a(mine.type)} here, {_a(theirs.type)} in the reference"
        return StateDifference(DifferenceKind.TYPE, words, path, path)
    if mine.shape != theirs.shape:
        words = f"{_code(path)} has shape {mine.shape_text} here, {theirs.shape_text} in the reference"
        return StateDifference(DifferenceKind.SHAPE, words, path, path)
    if mine.dtype != theirs.dtype:
        words = f"{_code(path)} holds {mine.dtype} here, {theirs.dtype} in the reference"
        return StateDifference(DifferenceKind.DTYPE, words, path, path)
    return None


def _renamed(
    missing: list[str], extra: list[str], mine: dict[str, StateVariable], theirs: dict[str, StateVariable]
) -> list[StateDifference]:
    """Pairs a missing and an extra Variable of the same type and shape; removes them from the lists."""
    found = []
    for path in list(missing):
        wanted = theirs[path]
        match = next((p for p in extra if mine[p].type == wanted.type and mine[p].shape == wanted.shape), None)
        if match is None:
            continue
        missing.remove(path)
        extra.remove(match)
        words = f"{_code(match)} here is {_code(path)} in the reference (the same {wanted.type}, shape {wanted.shape_text})"
        found.append(StateDifference(DifferenceKind.RENAMED, words, match, path))
    return found


def _subtrees(paths: list[str], other: dict[str, StateVariable]) -> list[tuple[str, list[str]]]:
    """Groups paths by the shortest prefix the other side has nothing under, in first-seen order."""
    other_prefixes = {tuple(p.split("/")[:k]) for p in other for k in range(1, p.count("/") + 2)}
    groups: dict[str, list[str]] = {}
    for path in paths:
        parts = path.split("/")
        depth = next((k for k in range(1, len(parts) + 1) if tuple(parts[:k]) not in other_prefixes), len(parts))
        groups.setdefault("/".join(parts[:depth]), []).append(path)
    return list(groups.items())


def _missing(prefix: str, variables: list[StateVariable]) -> StateDifference:
    if len(variables) == 1 and variables[0].path == prefix:
        only = variables[0]
        words = f"{_code(prefix)} is missing: the reference has {_a(only.type)} of shape {only.shape_text} there"
    else:
        words = f"{_code(prefix)} is missing: the reference has {_count(variables)} there ({_types(variables)})"
    return StateDifference(DifferenceKind.MISSING, words, None, prefix)


def _extra(prefix: str, variables: list[StateVariable]) -> StateDifference:
    if len(variables) == 1 and variables[0].path == prefix:
        only = variables[0]
        words = f"{_code(prefix)} ({_a(only.type)} of shape {only.shape_text}) is extra: the reference has no such Variable"
    else:
        words = f"{_code(prefix)} holds {_count(variables)} ({_types(variables)}) the reference does not have"
    return StateDifference(DifferenceKind.EXTRA, words, prefix, None)


def _count(variables: list[StateVariable]) -> str:
    return "1 Variable" if len(variables) == 1 else f"{len(variables)} Variables"


def _types(variables: Iterable[StateVariable]) -> str:
    return ", ".join(sorted({v.type for v in variables}))


def _code(path: str) -> str:
    # Paths come from the learner's code: a backtick in one must not end the code span early.
    return "`" + path.replace("`", "'") + "`"


def _a(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"
