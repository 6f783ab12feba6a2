"""The tests of training_step: three visible examples and the hidden ones.

Only two input shapes, (4, 2) and (6, 3): warming a worker costs about 0.3 s per shape here, as an
eager gradient uses many small ops. Few steps (10 in all), as each eager gradient takes about 7 ms.
"""

import numpy as np

from playground.problems.case_values import case_builder
from playground.problems.common import MAX_SEED, float32_values

case = case_builder("seed x y learning_rate steps", float32="learning_rate")


def _grid(rows: int, cols: int, amplitude: float, phase: float) -> list[list[float]]:
    # Deterministic, varied values of both signs that round-trip exactly as float32.
    return float32_values(amplitude * np.sin(np.arange(rows * cols).reshape(rows, cols) * 0.91 + phase))


def _wave(n: int, amplitude: float, phase: float) -> list[float]:
    return float32_values(amplitude * np.cos(np.arange(n) * 1.37 + phase))


X_4x2 = [[1.0, 2.0], [0.5, -1.0], [0.0, 1.0], [2.0, 0.0]]
Y_4 = [1.0, -1.0, 0.5, 2.0]

CASES = (
    case("example_1", 0, X_4x2, Y_4, 0.1, 1, hidden=False),
    case("example_2", 7, _grid(6, 3, 1.0, 0.0), [0.5, -1.0, 1.5, 0.0, 2.0, -0.5], 0.05, 2, hidden=False),
    case(
        "example_3", 42, [[1.0, 0.0], [2.0, 1.0], [-1.0, 0.5], [0.0, -2.0]], [2.0, 3.0, 0.0, -1.0], 0.2, 2, hidden=False
    ),
    case("zero_steps", 3, X_4x2, Y_4, 0.1, 0, hidden=True),
    case("one_step_max_seed", MAX_SEED, _grid(4, 2, 1.5, 0.3), _wave(4, 1.0, 0.0), 0.15, 1, hidden=True),
    case("one_step_4x2_zero_input", 8, [[0.0, 0.0]] * 4, [1.0, -1.0, 2.0, 0.5], 0.25, 1, hidden=True),
    case("three_steps_6x3", 1, _grid(6, 3, 0.8, 2.0), _wave(6, 1.5, 1.0), 0.1, 3, hidden=True),
)
