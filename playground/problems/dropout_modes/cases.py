"""The tests of dropout_modes: three visible examples and the hidden ones."""

import numpy as np

from playground.problems.case_values import case_builder
from playground.problems.common import MAX_SEED

case = case_builder("seed x rate")


def _wave(n: int, amplitude: float, phase: float) -> list[float]:
    # Deterministic values of both signs, none of them zero, that round-trip exactly as float32.
    values = amplitude * (np.sin(np.arange(n) * 0.61 + phase) + 1.3 * np.sign(np.cos(np.arange(n) * 1.7 + phase)))
    return [float(v) for v in values.astype(np.float32)]


# Four input lengths only (5, 8, 12 and 32): each distinct shape costs the sandbox a warm-up.
CASES = (
    case("example_1", 0, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], 0.25, hidden=False),
    case("example_2", 42, _wave(12, 1.0, 0.0), 0.5, hidden=False),
    case("example_3", 7, [3.0, -1.0, 2.0, 0.5, -4.0], 0.8, hidden=False),
    case("rate_0_1_seed_1", 1, _wave(32, 2.0, 0.3), 0.1, hidden=True),
    case("rate_0_75_max_seed", MAX_SEED, _wave(32, 1.0, 0.7), 0.75, hidden=True),
    case("rate_0_9_seed_11", 11, _wave(32, 3.0, 1.9), 0.9, hidden=True),
    case("rate_0_35_seed_2024", 2024, _wave(5, 100.0, 2.5), 0.35, hidden=True),
    case("rate_0_65_seed_99", 99, _wave(32, 0.25, 3.1), 0.65, hidden=True),
    case("rate_0_seed_8", 8, _wave(12, 2.0, 2.2), 0.0, hidden=True),
    case("rate_0_45_with_zeros", 31, [0.0, 1.5, 0.0, -2.5, 3.0, 0.0, -1.0, 2.0], 0.45, hidden=True),
)
