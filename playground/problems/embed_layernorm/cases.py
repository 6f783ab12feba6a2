"""The tests of embed_layernorm: three visible examples and the hidden ones."""

from playground.problems.case_values import case_builder
from playground.problems.common import MAX_SEED

case = case_builder("seed ids vocab epsilon scale bias", float32="epsilon")

# Four (vocab, tokens, features) shapes only: (5, 4, 4), (10, 3, 3), (5, 6, 6) and (5, 1, 4).
# Every test but one_token has at least two different tokens, so normalising over the tokens is
# told apart; epsilon runs from 1e-6 (nnx's default, where leaving it out goes unnoticed) to 2.0
# (where it dominates).
CASES = (
    case("example_1", 0, [1, 3, 1, 0], 5, 1e-5, [1.0, 2.0, 0.5, 1.0], [0.0, 0.1, -0.1, 0.5], hidden=False),
    case("example_big_epsilon", 7, [9, 0, 4], 10, 0.5, [1.5, -1.0, 0.25], [0.2, 0.0, -0.3], hidden=False),
    case("example_six_features", 42, [2, 2, 4, 1, 0, 3], 5, 1e-3, [1.0, 0.5, 2.0, 1.0, 0.75, 1.25], [0.0] * 6, hidden=False),
    case("four_tokens_max_seed", MAX_SEED, [4, 0, 2, 3], 5, 0.1, [0.5, -2.0, 1.0, 3.0], [1.0, -1.0, 0.25, 0.0], hidden=True),
    case("three_tokens_default_epsilon", 3, [5, 5, 2], 10, 1e-6, [2.0, 2.0, -0.5], [-0.5, 0.0, 1.5], hidden=True),
    case("six_tokens_epsilon_2", 1234, [0, 1, 2, 3, 4, 0], 5, 2.0, [-1.0, 0.5, 1.5, -0.25, 2.0, 1.0], [0.3, -0.3, 0.1, 0.0, -0.2, 0.4], hidden=True),
    case("one_token", 21, [4], 5, 1e-4, [1.0, -0.5, 2.0, 0.5], [0.0, 1.0, -1.0, 0.25], hidden=True),
    case("four_tokens_large_scale", 9, [0, 0, 1, 4], 5, 0.01, [100.0, -50.0, 25.0, 10.0], [5.0, 0.0, -5.0, 2.5], hidden=True),
)
