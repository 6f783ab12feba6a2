"""The tests of state_roundtrip: three visible examples and the hidden ones.

Three (len(x), features) shapes only, so a warm worker has every op compiled already. Each test
builds, splits and merges a model (about 6 ms of eager work), so the hidden tests are few.
"""

from playground.problems.case_values import case_builder
from playground.problems.common import MAX_SEED

case = case_builder("seed x features shift", float32="shift")


CASES = (
    case("example_1", 0, [1.0, 2.0, 3.0], 2, 0.5, hidden=False),
    case("example_2", 42, [0.5, -1.5, 0.0, 2.0, 1.0], 4, -0.25, hidden=False),
    case("example_3", 7, [3.0], 1, 2.0, hidden=False),
    case("zero_shift", 3, [1.0, -1.0, 0.5], 2, 0.0, hidden=True),
    case("negative_shift_max_seed", MAX_SEED, [-2.0, 0.25, 1.0], 2, -0.75, hidden=True),
    case("five_in_four_out_large_shift", 5, [1.0, 0.0, -1.0, 2.0, -2.0], 4, 6.0, hidden=True),
    case("one_in_one_out_max_seed", MAX_SEED, [0.75], 1, 3.0, hidden=True),
)
