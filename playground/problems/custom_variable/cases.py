"""The tests of custom_variable: three visible examples and the hidden ones."""

from playground.problems.case_values import case_builder, wave
from playground.problems.common import MAX_SEED

case = case_builder("seed x calls")

# Three input widths only (3, 2 and 4), so the sandbox warms up quickly; few calls per test,
# since every call runs the learner's eager layer once more.
CASES = (
    case("example_1", 0, [1.0, 2.0, 3.0], 3, hidden=False),
    case("example_2", 42, [0.5, -1.5], 1, hidden=False),
    case("example_3", 7, [2.0, 0.0, -1.0, 0.5], 2, hidden=False),
    case("three_inputs_four_calls", 2024, wave(3, 1.5, 0.2), 4, hidden=True),
    case("two_inputs_five_calls_max_seed", MAX_SEED, wave(2, 2.0, 1.1), 5, hidden=True),
    case("four_inputs_two_calls", 11, wave(4, 0.8, 0.5), 2, hidden=True),
    case("three_inputs_three_calls_large", 99, wave(3, 300.0, 2.0), 3, hidden=True),
)
