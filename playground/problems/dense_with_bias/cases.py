"""The tests of dense_with_bias: three visible examples and the hidden ones."""

import numpy as np

from playground.problems import Case

MAX_SEED = 2**31 - 1

# Only five (in_features, features) shapes appear below, (3, 4), (5, 2), (1, 6), (4, 4) and
# (8, 3), so the sandbox warms up quickly. (4, 4) is the only square one: there a glorot
# (fan_avg) kernel equals a lecun (fan_in) one, and the others tell them apart.


def _wave(n: int, amplitude: float, phase: float) -> list[float]:
    # Deterministic, varied values (both signs, no repeats) that round-trip exactly as float32.
    values = amplitude * np.sin(np.arange(n) * 0.73 + phase)
    return [float(v) for v in values.astype(np.float32)]


def _case(name: str, seed: int, features: int, x: list[float], hidden: bool) -> Case:
    # The harness passes every number as a float, as a learner's function will receive it.
    inputs = {"seed": float(seed), "x": [float(np.float32(v)) for v in x], "features": float(features)}
    return Case(name=name, inputs=inputs, hidden=hidden)


CASES = (
    _case("example_1", 0, 4, [1.0, 2.0, 3.0], hidden=False),
    _case("example_2", 42, 2, [0.5, -1.5, 0.0, 2.0, 1.0], hidden=False),
    _case("example_3", 7, 6, [2.0], hidden=False),
    _case("three_in_four_out_max_seed", MAX_SEED, 4, _wave(3, 1.0, 0.3), hidden=True),
    _case("zeros_input", 3, 4, [0.0, 0.0, 0.0], hidden=True),
    _case("three_in_four_out_large", 99, 4, [1e3, -2e3, 5e2], hidden=True),
    _case("five_in_two_out_negative", 11, 2, [-1.0, -0.25, -3.5, -2.0, -0.5], hidden=True),
    _case("five_in_two_out_seed_2024", 2024, 2, _wave(5, 1.5, 0.2), hidden=True),
    _case("one_in_six_out_seed_1", 1, 6, [-1.5], hidden=True),
    _case("one_in_six_out_max_seed", MAX_SEED, 6, [0.75], hidden=True),
    _case("square_4", 0, 4, _wave(4, 1.0, 0.0), hidden=True),
    _case("square_4_large_values", 123, 4, _wave(4, 250.0, 0.4), hidden=True),
    _case("square_4_max_seed", MAX_SEED, 4, _wave(4, 2.0, 1.1), hidden=True),
    _case("eight_in_three_out", 5, 3, _wave(8, 1.0, 0.0), hidden=True),
    _case("eight_in_three_out_large", 2, 3, _wave(8, 1000.0, 2.0), hidden=True),
    _case("eight_in_three_out_half_zeros", 9, 3, [0.0] * 4 + _wave(4, 5.0, 0.9), hidden=True),
)
