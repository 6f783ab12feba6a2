"""What grading learned about one test: its result, the answer's parts, and what the code reported."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.judge.model_state import ModelState
from playground.judge.verdict import TestResult
from playground.problems import Case
from playground.problems.panels import Recording


@dataclass
class GradedCase:
    """One test as graded, with what the status, the hints and the charts are decided from."""

    case: Case
    result: TestResult
    got: list[np.ndarray | None] | None  # the answer's parts, as decoded
    error: dict[str, Any] | None
    params: list[dict[str, Any]]
    param_hint: str | None
    state: ModelState | None = None  # visible tests only: the module the learner's code built
    param_message: str | None = None  # what check_params refused, when the values alone passed
    recording: Recording | None = None  # visible tests only: the calls the problem's panels probe
