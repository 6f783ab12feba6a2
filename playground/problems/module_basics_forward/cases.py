"""The tests of module_basics_forward: three visible examples and the hidden ones."""

import numpy as np

from playground.problems import Case
from playground.problems.common import MAX_SEED, float32_values


def _wave(n: int, amplitude: float, phase: float) -> list[float]:
    # Deterministic, varied values (both signs, no repeats) that round-trip exactly as float32.
    values = amplitude * np.sin(np.arange(n) * 0.73 + phase)
    return float32_values(values)


def _case(name: str, seed: int, features: int, x: list[float], hidden: bool) -> Case:
    # The harness passes every number as a float, as a learner's function will receive it.
    inputs = {"seed": float(seed), "x": float32_values(x), "features": float(features)}
    return Case(name=name, inputs=inputs, hidden=hidden)


CASES = (
    _case("example_1", 0, 4, [1.0, 2.0, 3.0], hidden=False),
    _case("example_2", 42, 2, [0.5, -1.5, 0.0, 2.0, 1.0], hidden=False),
    _case("example_3", 7, 1, [3.0], hidden=False),
    _case("one_in_one_out_max_seed", MAX_SEED, 1, [-2.5], hidden=True),
    _case("zeros_input", 3, 4, [0.0, 0.0, 0.0], hidden=True),
    _case("negative_input", 11, 4, [-1.0, -0.25, -3.5], hidden=True),
    _case("five_in_two_out_seed_1", 1, 2, [1.5, 0.0, -2.0, 4.0, -0.5], hidden=True),
    _case("square_64", 0, 64, _wave(64, 1.0, 0.0), hidden=True),
    _case("square_64_large_values", 123, 64, _wave(64, 250.0, 0.4), hidden=True),
    _case("one_in_64_out", 5, 64, [0.75], hidden=True),
    _case("one_in_64_out_max_seed", MAX_SEED, 64, [-1.25], hidden=True),
    _case("five_in_two_out_max_seed", MAX_SEED, 2, _wave(5, 1.5, 0.2), hidden=True),
    _case("five_in_two_out_large", 2, 2, _wave(5, 1000.0, 2.0), hidden=True),
    _case("three_in_four_out_max_seed", MAX_SEED, 4, [1e3, -2e3, 5e2], hidden=True),
    _case("one_in_one_out_seed_0", 0, 1, [1.0], hidden=True),
    _case("square_64_half_zeros", 9, 64, [0.0] * 32 + _wave(32, 5.0, 0.9), hidden=True),
)
