"""The tests of causal_attention: three visible examples and the hidden ones."""

import numpy as np

from playground.problems.case_values import case_builder
from playground.problems.common import MAX_SEED

case = case_builder("seed x head_dim")


# Five (length, model_dim, head_dim) shapes only: (4, 3, 2), (3, 2, 4), (5, 4, 3), (6, 3, 2) and (1, 3, 2).
# A worker compiles each before it takes a submission. head_dim differs from model_dim and from 1
# everywhere, so dividing by sqrt(model_dim) or by head_dim is told apart from sqrt(head_dim).


def _sequence(length: int, width: int, scale: float, phase: float) -> list[list[float]]:
    # Deterministic, varied tokens (both signs, no two rows alike) that round-trip as float32.
    t = np.arange(length)[:, None]
    c = np.arange(width)[None, :]
    values = scale * (np.sin(1.3 * t + 0.7 * c + phase) + 0.3 * np.cos(0.4 * t * (c + 1)))
    return [[float(v) for v in row] for row in values.astype(np.float32)]


EXAMPLE_X = [[1.0, 0.0, 2.0], [0.5, -1.0, 1.0], [2.0, 1.0, 0.0], [-1.0, 0.5, 1.5]]

CASES = (
    case("example_1", 0, EXAMPLE_X, 2, hidden=False),
    case("example_2", 42, [[1.0, -1.0], [0.0, 2.0], [1.5, 0.5]], 4, hidden=False),
    case("example_3", 7, _sequence(5, 4, 1.0, 0.0), 3, hidden=False),
    case("six_tokens_seed_2024", 2024, _sequence(6, 3, 1.5, 0.4), 2, hidden=True),
    case("five_tokens_max_seed", MAX_SEED, _sequence(5, 4, 2.0, 1.1), 3, hidden=True),
    case("three_tokens_large_values", 99, _sequence(3, 2, 6.0, 0.9), 4, hidden=True),
    case("one_token", 13, _sequence(1, 3, 1.0, 0.3), 2, hidden=True),
    case("four_tokens_repeated_token", 5, [[0.5, 1.0, -1.0]] * 2 + _sequence(2, 3, 1.0, 2.0), 2, hidden=True),
)
