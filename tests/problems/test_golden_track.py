"""Golden answers to every problem of the track, written as learners write them.

Each file under tests/submissions/problems/<problem>/ names the status it must get
(`# expect-status: ...`) and, for a wrong answer, words its hint must contain
(`# expect-hint: ...`). Every problem has at least five wrong answers, each with its hint.
"""

from pathlib import Path

import pytest

from playground.judge import Judge
from playground.problems import all_problems
from tests.judge.test_golden import expectations

ROOT = Path(__file__).resolve().parents[1] / "submissions" / "problems"
FILES = sorted(ROOT.glob("*/*.py"))
MIN_WRONG_ANSWERS = 5


def test_every_problem_has_five_wrong_answers_with_a_hint():
    for problem in all_problems():
        wrong = [p for p in (ROOT / problem).glob("*.py") if expectations(p).get("status") == ["wrong_answer"]]
        hinted = [p for p in wrong if expectations(p).get("hint")]
        assert len(hinted) >= MIN_WRONG_ANSWERS, f"{problem}: {len(hinted)} wrong answers with an expected hint"


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_golden_answer(every_problem_judge: Judge, path: Path) -> None:
    expected = expectations(path)
    problem = path.parent.name
    verdict = every_problem_judge.submit(problem, path.read_text(encoding="utf-8"), mode="submit", file=path.name)
    result = verdict.to_dict()
    assert result["status"] == expected["status"][0], (result["message"], result["hint"])
    for words in expected.get("hint", []):
        assert result["hint"] and words.lower() in result["hint"].lower(), result["hint"]
    if result["status"] == "accepted":
        assert result["hint"] is None and result["passed"] == result["total"]
