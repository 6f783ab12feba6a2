"""The tests of vmap_ensemble: three visible examples and the hidden ones."""

from playground.problems.case_values import case_builder, wave
from playground.problems.common import MAX_SEED

case = case_builder("seed x members")

# Three (inputs, members) shapes only, (3, 4), (2, 3) and (4, 2): under nnx.vmap every operation
# runs on the stacked members, so each shape is compiled once while a worker warms up.
CASES = (
    case("example_1", 0, [1.0, 2.0, 3.0], 4, hidden=False),
    case("example_2", 42, [0.5, -1.5], 3, hidden=False),
    case("example_3", 7, [2.0, 0.0, -1.0, 0.5], 2, hidden=False),
    case("three_inputs_four_members_max_seed", MAX_SEED, wave(3, 1.5, 0.2), 4, hidden=True),
    case("two_inputs_three_members", 2024, wave(2, 2.0, 1.1), 3, hidden=True),
    case("four_inputs_two_members_large", 99, wave(4, 250.0, 0.5), 2, hidden=True),
    case("three_inputs_four_members_seed_1", 1, wave(3, 0.8, 2.0), 4, hidden=True),
)
