"""What every problem's cases.py shares: a test's inputs as the harness passes them, and varied values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from playground.problems import Case
from playground.problems.common import float32_values


def case_builder(columns: str, float32: str = "") -> Callable[..., Case]:
    """A function `case(name, *values, hidden)` making one Case, a value per column (names split by spaces).

    The harness passes every number as a float, as the learner's function receives it: each number
    becomes a float and each list (of lists) float32 values, exactly. Numbers in the columns named
    in `float32` are rounded to float32 as well (e.g. a learning rate the function uses as float32).
    """
    names = columns.split()
    rounded = set(float32.split())

    def case(name: str, *values: Any, hidden: bool) -> Case:
        if len(values) != len(names):
            raise TypeError(f"case {name!r} has {len(values)} values for the {len(names)} columns {columns!r}")
        inputs = {
            column: float32_values(value) if isinstance(value, list) or column in rounded else float(value)
            for column, value in zip(names, values, strict=True)
        }
        return Case(name=name, inputs=inputs, hidden=hidden)

    return case


def wave(n: int, amplitude: float, phase: float) -> list[float]:
    """n deterministic, varied values (both signs, no repeats) that round-trip exactly as float32."""
    return float32_values(amplitude * np.sin(np.arange(n) * 0.73 + phase))
