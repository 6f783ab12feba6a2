"""The tests of custom_variable: three visible examples and the hidden ones."""

import numpy as np

from playground.problems import Case

MAX_SEED = 2**31 - 1
MAX_CALLS = 20

# Three input widths only (3, 2 and 4), so the sandbox warms up quickly; few calls per test,
# since every call runs the learner's eager layer once more.


def _wave(n: int, amplitude: float, phase: float) -> list[float]:
    # Deterministic, varied values (both signs) that round-trip exactly as float32.
    return [float(v) for v in (amplitude * np.sin(np.arange(n) * 0.73 + phase)).astype(np.float32)]


def _case(name: str, seed: int, x: list[float], calls: int, hidden: bool) -> Case:
    # The harness passes every number as a float, as a learner's function will receive it.
    inputs = {"seed": float(seed), "x": [float(np.float32(v)) for v in x], "calls": float(calls)}
    return Case(name=name, inputs=inputs, hidden=hidden)


CASES = (
    _case("example_1", 0, [1.0, 2.0, 3.0], 3, hidden=False),
    _case("example_2", 42, [0.5, -1.5], 1, hidden=False),
    _case("example_3", 7, [2.0, 0.0, -1.0, 0.5], 2, hidden=False),
    _case("three_inputs_four_calls", 2024, _wave(3, 1.5, 0.2), 4, hidden=True),
    _case("two_inputs_five_calls_max_seed", MAX_SEED, _wave(2, 2.0, 1.1), 5, hidden=True),
    _case("four_inputs_two_calls", 11, _wave(4, 0.8, 0.5), 2, hidden=True),
    _case("three_inputs_three_calls_large", 99, _wave(3, 300.0, 2.0), 3, hidden=True),
)
