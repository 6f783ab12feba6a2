"""Golden submissions: each file under tests/submissions/<status>/ must get that status.

A file's header may also name words its verdict must contain:
`# expect-hint: ...`, `# expect-message: ...`, `# expect-stdout: ...`, `# expect-warning: ...`.
"""

from pathlib import Path

import pytest

from playground.judge import Judge

SUBMISSIONS = Path(__file__).resolve().parents[1] / "submissions"
FILES = sorted(SUBMISSIONS.glob("*/*.py"))
PROBLEM = "module_basics_forward"


def expectations(path: Path) -> dict[str, list[str]]:
    """The expect-* header lines of a golden file, by field."""
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect-"):
            field, _, words = line.removeprefix("# expect-").partition(":")
            found.setdefault(field.strip(), []).append(words.strip())
    return found


@pytest.fixture()
def judge(basics_judge: Judge) -> Judge:
    """`Judge(problems=[PROBLEM])`, started: the one the layer's suites share (tests/conftest.py)."""
    return basics_judge


def test_every_outcome_has_examples():
    statuses = {p.parent.name for p in FILES}
    assert statuses == {
        "accepted",
        "wrong_answer",
        "runtime_error",
        "compile_error",
        "time_limit_exceeded",
        "memory_limit_exceeded",
        "output_limit_exceeded",
    }
    assert len(list(SUBMISSIONS.glob("accepted/*.py"))) >= 6


# Code that never ends gets time_limit_exceeded whatever the limit: it is judged under a short one
# (the default limit itself is the hostile suite's to check), the rest under the default limits.
ENDLESS = [p for p in FILES if p.parent.name == "time_limit_exceeded"]
ENDING = [p for p in FILES if p not in ENDLESS]


@pytest.mark.parametrize("path", ENDING, ids=[f"{p.parent.name}/{p.name}" for p in ENDING])
def test_golden_submission(judge, path):
    check_golden(judge, path)


@pytest.mark.parametrize("path", ENDLESS, ids=[f"{p.parent.name}/{p.name}" for p in ENDLESS])
def test_golden_submission_that_never_ends(short_wall_judge, path):
    check_golden(short_wall_judge, path)


def check_golden(judge: Judge, path: Path) -> None:
    """The verdict of the file is its folder's status, with the words its expect-* lines name."""
    verdict = judge.submit(PROBLEM, path.read_text(encoding="utf-8"), mode="submit", file=path.name)
    result = verdict.to_dict()
    assert result["status"] == path.parent.name, result["message"]
    expected = expectations(path)
    for words in expected.get("hint", []):
        assert result["hint"] and words.lower() in result["hint"].lower(), result["hint"]
    for words in expected.get("message", []):
        assert words.lower() in result["message"].lower(), result["message"]
    for words in expected.get("stdout", []):
        assert words in result["stdout"]
    for words in expected.get("warning", []):
        assert any(words in w for w in result["warnings"]), result["warnings"]
    if result["status"] == "accepted":
        assert result["passed"] == result["total"] >= 15
        assert result["hint"] is None


def test_starter_code_is_recognised_as_not_attempted(judge):
    from playground.problems import get_problem

    verdict = judge.submit(PROBLEM, get_problem(PROBLEM).starter)
    assert verdict.status.value == "runtime_error"
    assert "starter code" in verdict.hint
