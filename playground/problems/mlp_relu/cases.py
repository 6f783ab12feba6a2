"""The tests of mlp_relu: three visible examples and the hidden ones."""

import numpy as np

from playground.problems import Case

MAX_SEED = 2**31 - 1

# Three (in_features, hidden, features) shapes in all, so the sandbox warms up quickly:
# (3, 4, 2), (2, 8, 3) and (4, 3, 5). Each test builds two layers (about 4 ms of eager work), so
# the hidden tests are few and each checks several things at once (a seed edge, signs, sizes).


def _wave(n: int, amplitude: float, phase: float) -> list[float]:
    # Deterministic, varied values (both signs, no repeats) that round-trip exactly as float32.
    values = amplitude * np.sin(np.arange(n) * 0.73 + phase)
    return [float(v) for v in values.astype(np.float32)]


def _case(name: str, seed: int, hidden: int, features: int, x: list[float], is_hidden: bool) -> Case:
    # The harness passes every number as a float, as a learner's function will receive it.
    inputs = {
        "seed": float(seed),
        "x": [float(np.float32(v)) for v in x],
        "hidden": float(hidden),
        "features": float(features),
    }
    return Case(name=name, inputs=inputs, hidden=is_hidden)


CASES = (
    _case("example_1", 0, 4, 2, [1.0, 2.0, 3.0], is_hidden=False),
    _case("example_2", 42, 8, 3, [0.5, -1.5], is_hidden=False),
    _case("example_3", 7, 3, 5, [1.0, -1.0, 2.0, 0.5], is_hidden=False),
    _case("three_four_two_max_seed", MAX_SEED, 4, 2, _wave(3, 1.0, 0.3), is_hidden=True),
    _case("three_four_two_negative", 11, 4, 2, [-1.0, -0.25, -3.5], is_hidden=True),
    _case("two_eight_three_large", 99, 8, 3, [100.0, -250.0], is_hidden=True),
    _case("two_eight_three_max_seed", MAX_SEED, 8, 3, [-0.5, -1.25], is_hidden=True),
    _case("four_three_five_half_zeros", 17, 3, 5, [0.0, 0.0] + _wave(2, 4.0, 2.2), is_hidden=True),
)
