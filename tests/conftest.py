"""Shared fixtures: a private data folder for the page's store, and the correct solution's source."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
