"""The judge layer stands on its own: it imports nothing above it, and both judges keep one interface."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from playground.judge.interface import JudgeService
from playground.judge.local import LocalJudge
from playground.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
JUDGE = ROOT / "playground" / "judge"
BELOW_THE_JUDGE = ("playground.judge", "playground.problems", "playground.sandbox", "playground.settings")


def upward_imports(path: Path) -> list[str]:
    """Imports of one judge file that reach a layer above the judge, as 'file:line imports name'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        for name in names:
            ours = name == "playground" or name.startswith("playground.")
            if ours and not any(name == layer or name.startswith(layer + ".") for layer in BELOW_THE_JUDGE):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    return found


def test_the_judge_imports_nothing_from_queue_web_or_store() -> None:
    found = [line for path in sorted(JUDGE.rglob("*.py")) for line in upward_imports(path)]
    assert not found, "the judge layer must not import the layers above it:\n" + "\n".join(found)


def test_the_rule_sees_an_upward_import(tmp_path: Path) -> None:
    probe = JUDGE / "_probe_upward.py"
    probe.write_text("from playground.queue.client import QueueJudge\nimport playground.web.figures\n")
    try:
        assert upward_imports(probe) == [
            "playground/judge/_probe_upward.py:1 imports playground.queue.client",
            "playground/judge/_probe_upward.py:2 imports playground.web.figures",
        ]
    finally:
        probe.unlink()


def test_importing_the_judge_package_starts_no_jax_and_no_queue() -> None:
    code = "import sys, playground.judge; print(sorted(m for m in ('jax', 'celery', 'playground.queue') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_broker_setting_gives_the_queued_judge_behind_the_same_interface() -> None:
    from playground.judge import Judge
    from playground.queue.client import QueueJudge

    queued = Judge(settings=Settings(broker_url="redis://127.0.0.1:1/0"))
    try:
        assert isinstance(queued, QueueJudge) and isinstance(queued, JudgeService)
        assert queued.url == "redis://127.0.0.1:1/0"
    finally:
        queued.close()
    local = Judge(pool_size=1, problems=["module_basics_forward"], settings=Settings())  # not started: no processes
    assert type(local) is Judge and isinstance(local, LocalJudge) and isinstance(local, JudgeService)
