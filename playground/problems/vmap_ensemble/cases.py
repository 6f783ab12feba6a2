"""The tests of vmap_ensemble: three visible examples and the hidden ones."""

import numpy as np

from playground.problems import Case

MAX_SEED = 2**31 - 1
MAX_MEMBERS = 8

# Three (inputs, members) shapes only, (3, 4), (2, 3) and (4, 2): under nnx.vmap every operation
# runs on the stacked members, so each shape is compiled once while a worker warms up.


def _wave(n: int, amplitude: float, phase: float) -> list[float]:
    # Deterministic, varied values (both signs) that round-trip exactly as float32.
    return [float(v) for v in (amplitude * np.sin(np.arange(n) * 0.73 + phase)).astype(np.float32)]


def _case(name: str, seed: int, x: list[float], members: int, hidden: bool) -> Case:
    # The harness passes every number as a float, as a learner's function will receive it.
    inputs = {"seed": float(seed), "x": [float(np.float32(v)) for v in x], "members": float(members)}
    return Case(name=name, inputs=inputs, hidden=hidden)


CASES = (
    _case("example_1", 0, [1.0, 2.0, 3.0], 4, hidden=False),
    _case("example_2", 42, [0.5, -1.5], 3, hidden=False),
    _case("example_3", 7, [2.0, 0.0, -1.0, 0.5], 2, hidden=False),
    _case("three_inputs_four_members_max_seed", MAX_SEED, _wave(3, 1.5, 0.2), 4, hidden=True),
    _case("two_inputs_three_members", 2024, _wave(2, 2.0, 1.1), 3, hidden=True),
    _case("four_inputs_two_members_large", 99, _wave(4, 250.0, 0.5), 2, hidden=True),
    _case("three_inputs_four_members_seed_1", 1, _wave(3, 0.8, 2.0), 4, hidden=True),
)
