"""Shared fixtures: a private data folder for the page's store, the correct solution's source, and the
judges several suites of a layer share (tests/support/shared_judges.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.sandbox.records import Limits
from tests.support.shared_judges import JudgeKind, SharedJudges

ROOT = Path(__file__).resolve().parents[1]
BASICS = "module_basics_forward"
# Long enough for any correct answer to the first problem on a busy machine, short enough that code
# that never ends is stopped soon: for tests that need *a* wall limit, not the default's value.
SHORT_WALL_S = 2.0

SHARED = SharedJudges({
    # The first problem with the default limits and pool: what `Judge(problems=[BASICS])` gives.
    "basics_judge": JudgeKind((BASICS,)),
    # The first problem with a short wall limit, one worker.
    "short_wall_judge": JudgeKind((BASICS,), Limits(wall_seconds=SHORT_WALL_S), pool_size=1),
})  # fmt: skip


@pytest.fixture(scope="session", autouse=True)
def playground_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """PLAYGROUND_DATA_DIR pointed at a fresh folder for the whole session, restored afterwards.

    Every test has it, so a page server started in this process (whichever test starts it) keeps its
    data there and never in the checkout's ./data."""
    folder = tmp_path_factory.mktemp("playground-data")
    before = os.environ.get("PLAYGROUND_DATA_DIR")
    os.environ["PLAYGROUND_DATA_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("PLAYGROUND_DATA_DIR", None)
    else:
        os.environ["PLAYGROUND_DATA_DIR"] = before


@pytest.fixture(scope="session")
def solution_source() -> str:
    """A submission that is accepted: the trusted reference solution's text."""
    return (ROOT / "solutions" / "module_basics_forward.py").read_text(encoding="utf-8")


@pytest.fixture()
def basics_judge():
    """A started judge of module_basics_forward with the default limits, shared within the layer."""
    return SHARED.get("basics_judge")


@pytest.fixture()
def every_problem_judge():
    """A started judge of every problem with the default limits and pool (what `Judge()` gives): the
    in-process page's own, which the page suites (AppTest) start anyway and which lives for the session,
    so the problem suites judge with it rather than start a second judge of the same kind."""
    from playground.web.boot import shared_judge

    judge, error = shared_judge()
    assert judge is not None, error
    judge.start()
    return judge


@pytest.fixture()
def short_wall_judge():
    """A started judge of module_basics_forward whose wall limit is SHORT_WALL_S, shared within the layer."""
    return SHARED.get("short_wall_judge")


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    SHARED.after_test(item, item.session.items)


def pytest_sessionfinish(session: pytest.Session) -> None:
    SHARED.close_all()
