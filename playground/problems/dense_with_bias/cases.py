"""The tests of dense_with_bias: three visible examples and the hidden ones."""

from playground.problems.case_values import case_builder, wave
from playground.problems.common import MAX_SEED

case = case_builder("seed features x")


# Only five (in_features, features) shapes appear below, (3, 4), (5, 2), (1, 6), (4, 4) and
# (8, 3), so the sandbox warms up quickly. (4, 4) is the only square one: there a glorot
# (fan_avg) kernel equals a lecun (fan_in) one, and the others tell them apart.
CASES = (
    case("example_1", 0, 4, [1.0, 2.0, 3.0], hidden=False),
    case("example_2", 42, 2, [0.5, -1.5, 0.0, 2.0, 1.0], hidden=False),
    case("example_3", 7, 6, [2.0], hidden=False),
    case("three_in_four_out_max_seed", MAX_SEED, 4, wave(3, 1.0, 0.3), hidden=True),
    case("zeros_input", 3, 4, [0.0, 0.0, 0.0], hidden=True),
    case("three_in_four_out_large", 99, 4, [1e3, -2e3, 5e2], hidden=True),
    case("five_in_two_out_negative", 11, 2, [-1.0, -0.25, -3.5, -2.0, -0.5], hidden=True),
    case("five_in_two_out_seed_2024", 2024, 2, wave(5, 1.5, 0.2), hidden=True),
    case("one_in_six_out_seed_1", 1, 6, [-1.5], hidden=True),
    case("one_in_six_out_max_seed", MAX_SEED, 6, [0.75], hidden=True),
    case("square_4", 0, 4, wave(4, 1.0, 0.0), hidden=True),
    case("square_4_large_values", 123, 4, wave(4, 250.0, 0.4), hidden=True),
    case("square_4_max_seed", MAX_SEED, 4, wave(4, 2.0, 1.1), hidden=True),
    case("eight_in_three_out", 5, 3, wave(8, 1.0, 0.0), hidden=True),
    case("eight_in_three_out_large", 2, 3, wave(8, 1000.0, 2.0), hidden=True),
    case("eight_in_three_out_half_zeros", 9, 3, [0.0] * 4 + wave(4, 5.0, 0.9), hidden=True),
)
