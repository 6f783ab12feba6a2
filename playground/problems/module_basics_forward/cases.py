"""The tests of module_basics_forward: three visible examples and the hidden ones."""

from playground.problems.case_values import case_builder, wave
from playground.problems.common import MAX_SEED

case = case_builder("seed features x")


CASES = (
    case("example_1", 0, 4, [1.0, 2.0, 3.0], hidden=False),
    case("example_2", 42, 2, [0.5, -1.5, 0.0, 2.0, 1.0], hidden=False),
    case("example_3", 7, 1, [3.0], hidden=False),
    case("one_in_one_out_max_seed", MAX_SEED, 1, [-2.5], hidden=True),
    case("zeros_input", 3, 4, [0.0, 0.0, 0.0], hidden=True),
    case("negative_input", 11, 4, [-1.0, -0.25, -3.5], hidden=True),
    case("five_in_two_out_seed_1", 1, 2, [1.5, 0.0, -2.0, 4.0, -0.5], hidden=True),
    case("square_64", 0, 64, wave(64, 1.0, 0.0), hidden=True),
    case("square_64_large_values", 123, 64, wave(64, 250.0, 0.4), hidden=True),
    case("one_in_64_out", 5, 64, [0.75], hidden=True),
    case("one_in_64_out_max_seed", MAX_SEED, 64, [-1.25], hidden=True),
    case("five_in_two_out_max_seed", MAX_SEED, 2, wave(5, 1.5, 0.2), hidden=True),
    case("five_in_two_out_large", 2, 2, wave(5, 1000.0, 2.0), hidden=True),
    case("three_in_four_out_max_seed", MAX_SEED, 4, [1e3, -2e3, 5e2], hidden=True),
    case("one_in_one_out_seed_0", 0, 1, [1.0], hidden=True),
    case("square_64_half_zeros", 9, 64, [0.0] * 32 + wave(32, 5.0, 0.9), hidden=True),
)
