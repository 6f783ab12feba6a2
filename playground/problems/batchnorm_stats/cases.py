"""The tests of batchnorm_stats: three visible examples and the hidden ones."""

import numpy as np

from playground.problems.case_values import case_builder

case = case_builder("batch momentum calls")


def _grid(rows: int, cols: int, scale: float, phase: float) -> list[list[float]]:
    # Deterministic values: each feature has its own offset and spread, so the statistics differ.
    r = np.arange(rows)[:, None]
    c = np.arange(cols)[None, :]
    values = scale * (np.sin(0.9 * r + 1.7 * c + phase) * (1.0 + 0.5 * c) + 0.8 * (c - 1))
    return [[float(v) for v in row] for row in values.astype(np.float32)]


# Five batch shapes only, (4, 3), (8, 2), (2, 5), (6, 4) and (1, 3): each costs the sandbox a warm-up.
CASES = (
    case("example_1", [[1.0, 2.0, 0.0], [3.0, 2.0, 4.0], [5.0, 6.0, -2.0], [7.0, 6.0, 2.0]], 0.9, 3, hidden=False),
    case("example_2", _grid(8, 2, 1.0, 0.0), 0.8, 2, hidden=False),
    case("example_3", [[0.5, -1.0, 2.0, 0.0, 3.0], [1.5, 1.0, -2.0, 4.0, 3.5]], 0.0, 1, hidden=False),
    case("momentum_0_99_three_calls", _grid(4, 3, 1.5, 0.4), 0.99, 3, hidden=True),
    case("momentum_0_6_three_calls", _grid(2, 5, 1.0, 0.9), 0.6, 3, hidden=True),
    case("momentum_0_9_zero_calls", _grid(2, 5, 2.0, 0.6), 0.9, 0, hidden=True),
    # A batch of one: every batch variance is 0, so the running variance only decays towards 0.
    case("batch_of_one", [[1.5, -0.5, 3.0]], 0.8, 2, hidden=True),
    case(
        "constant_feature", [[2.0, 1.0, -1.0], [2.0, 3.0, 0.0], [2.0, -2.0, 1.0], [2.0, 0.0, 4.0]], 0.65, 2, hidden=True
    ),
)
