"""Wrong mutants of a reference solution, made by small AST rewrites, for testing the tests.

    from playground.corpus.mutants import mutants

    for mutant in mutants("conv_feature_map"):
        mutant.name     # stable: "family:detail@scope#n", e.g. "padding:SAME->VALID@conv_feature_map#0"
        mutant.family   # what kind of mistake, e.g. "activation", "axis", "off_by_one", "sign"
        mutant.source   # the whole solution with that one change, as Python source

Each mutant changes one place of `solutions/<problem>.py` (another distribution or initialiser,
another activation, another axis, an offset of one in a mask, a range or an index, a transposed
weight, a flipped convolution kernel, epsilon changed or left out, statistics over other axes,
one value used where another belongs, a sign flipped, a scale left out, a keyword argument left
out, train and eval mode swapped, a statement left out, two layers built in the other order...).
Most mutants compute a wrong answer; a few may be equivalent to the reference, and some raise an
error: telling them apart is the job of whoever runs them (see playground.corpus.mutation).

Names do not depend on line numbers: `scope` is the function the change is in and `n` counts the
changes of that family and detail in that function, in source order. Mutants whose source is
identical to an earlier one are left out, so the list is the same on every call.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass

from playground.corpus.mutant_rules import RULES, Change
from playground.problems import SOLUTIONS_DIR


@dataclass(frozen=True)
class Mutant:
    """One rewrite of a reference solution: its stable name, its whole source, and its family."""

    name: str
    source: str
    family: str


def mutants(problem_id: str) -> list[Mutant]:
    """Every mutant of the problem's reference solution, in a stable order."""
    return mutants_of((SOLUTIONS_DIR / f"{problem_id}.py").read_text(encoding="utf-8"))


def mutants_of(source: str) -> list[Mutant]:
    """Every mutant of a solution's source, in a stable order, without duplicates."""
    tree = ast.parse(source)
    original = ast.unparse(tree)
    sites = _sites(tree)
    found: list[Mutant] = []
    seen = {original}
    counters: dict[str, int] = {}
    for index, scope, change in sites:
        mutated = _apply(tree, index, change)
        if mutated is None:
            continue
        text = ast.unparse(mutated)
        key = f"{change.family}:{change.detail}@{scope}"
        number = counters.get(key, 0)
        counters[key] = number + 1
        if text in seen:
            continue
        seen.add(text)
        found.append(Mutant(name=f"{key}#{number}", source=text + "\n", family=change.family))
    return found


def _sites(tree: ast.AST) -> list[tuple[int, str, Change]]:
    """(node index in walk order, enclosing function, change) for every rule that applies."""
    scopes = _scopes(tree)
    return [
        (index, scopes.get(index, "module"), change)
        for index, node in enumerate(_walk(tree))
        for rule in RULES
        for change in rule(node)
    ]


def _walk(tree: ast.AST) -> list[ast.AST]:
    # ast.walk's order is deterministic for equal trees, so an index finds the same node in a copy.
    return list(ast.walk(tree))


def _scopes(tree: ast.AST) -> dict[int, str]:
    index_of = {id(node): i for i, node in enumerate(_walk(tree))}
    scopes: dict[int, str] = {}

    def visit(node: ast.AST, scope: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, (ast.FunctionDef, ast.ClassDef)):
                inner = child.name if scope == "module" else f"{scope}.{child.name}"
            scopes[index_of[id(child)]] = inner
            visit(child, inner)

    visit(tree, "module")
    return scopes


def _apply(tree: ast.AST, index: int, change: Change) -> ast.AST | None:
    """A copy of the tree with the node at index replaced as the change says; None if impossible."""
    mutated = copy.deepcopy(tree)
    target = _walk(mutated)[index]
    replacement = change.build(target)
    for parent in _walk(mutated):
        for field, value in ast.iter_fields(parent):
            if value is target:
                if replacement is None or isinstance(replacement, list):
                    return None
                setattr(parent, field, replacement)
                return ast.fix_missing_locations(mutated)
            if isinstance(value, list) and any(item is target for item in value):
                position = next(i for i, item in enumerate(value) if item is target)
                if replacement is None:
                    new = value[:position] + value[position + 1 :]
                    if not new and field in ("body", "orelse", "finalbody"):
                        new = [ast.Pass()] if field == "body" else []
                elif isinstance(replacement, list):
                    new = value[:position] + replacement + value[position + 1 :]
                else:
                    new = value[:position] + [replacement] + value[position + 1 :]
                setattr(parent, field, new)
                return ast.fix_missing_locations(mutated)
    return None
