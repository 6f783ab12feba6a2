"""The tests of mlp_relu: three visible examples and the hidden ones."""

from playground.problems.case_values import case_builder, wave
from playground.problems.common import MAX_SEED

case = case_builder("seed hidden features x")


# Three (in_features, hidden, features) shapes in all, so the sandbox warms up quickly:
# (3, 4, 2), (2, 8, 3) and (4, 3, 5). Each test builds two layers (about 4 ms of eager work), so
# the hidden tests are few and each checks several things at once (a seed edge, signs, sizes).
CASES = (
    case("example_1", 0, 4, 2, [1.0, 2.0, 3.0], hidden=False),
    case("example_2", 42, 8, 3, [0.5, -1.5], hidden=False),
    case("example_3", 7, 3, 5, [1.0, -1.0, 2.0, 0.5], hidden=False),
    case("three_four_two_max_seed", MAX_SEED, 4, 2, wave(3, 1.0, 0.3), hidden=True),
    case("three_four_two_negative", 11, 4, 2, [-1.0, -0.25, -3.5], hidden=True),
    case("two_eight_three_large", 99, 8, 3, [100.0, -250.0], hidden=True),
    case("two_eight_three_max_seed", MAX_SEED, 8, 3, [-0.5, -1.25], hidden=True),
    case("four_three_five_half_zeros", 17, 3, 5, [0.0, 0.0] + wave(2, 4.0, 2.2), hidden=True),
)
