"""The folder list shows the architecture: layer packages, and a sandbox that imports nothing else of ours."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "playground"
SANDBOX = PACKAGE / "sandbox"
MAX_LOOSE_MODULES = 6


def imported_modules(source: str, module: str) -> list[tuple[int, str]]:
    """Every module a source file imports, absolute, with its line (relative imports resolved against `module`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.split(".")[: -node.level]
                base = ".".join(parent + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names] if base in {"playground", "playground.sandbox"} else []
            found.extend((node.lineno, name) for name in names or [base])
    return found


def sandbox_violations(path: Path, source: str) -> list[str]:
    """Imports in one sandbox file that reach outside `playground.sandbox`, as 'file:line imports name'."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    bad = []
    for line, name in imported_modules(source, module):
        inside = name == "playground.sandbox" or name.startswith("playground.sandbox.")
        if (name == "playground" or name.startswith("playground.")) and not inside:
            bad.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return bad


def test_sandbox_imports_nothing_else_of_the_playground() -> None:
    problems = []
    for path in sorted(SANDBOX.rglob("*.py")):
        problems += sandbox_violations(path, path.read_text())
    assert not problems, "the sandbox must stay self-contained:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("line", "reached"),
    [
        ("from playground.store import Store", "playground.store"),
        ("import playground.web.figures", "playground.web.figures"),
        ("from playground import problems", "playground.problems"),
        ("from ..judge import verdict", "playground.judge"),
        ("from .. import store", "playground.store"),
    ],
)
def test_the_rule_catches_an_import_from_another_layer(line: str, reached: str) -> None:
    found = sandbox_violations(SANDBOX / "worker.py", line + "\n")
    assert found == [f"playground/sandbox/worker.py:1 imports {reached}"]


@pytest.mark.parametrize(
    "line", ["from playground.sandbox.protocol import write_frame", "from . import protocol", "import json"]
)
def test_the_rule_allows_the_sandbox_itself_and_the_standard_library(line: str) -> None:
    assert sandbox_violations(SANDBOX / "worker.py", line + "\n") == []


def test_few_loose_modules_at_the_top_of_the_package() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= MAX_LOOSE_MODULES, f"move these into their layer's package: {loose}"


MAX_APP_LINES = 450


def test_app_is_the_pages_outline() -> None:
    # app.py only says which panels appear in which order; each panel's widgets live in playground/web/.
    lines = len((ROOT / "app.py").read_text().splitlines())
    assert lines <= MAX_APP_LINES, f"app.py has {lines} lines; move panel code into playground/web/"
