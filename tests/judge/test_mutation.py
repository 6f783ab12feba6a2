"""Mutation testing of the hidden tests: every wrong mutant of a reference fails a hidden test.

The mutants come from playground.corpus.mutants; playground.corpus.mutation runs them in-process
on the hidden tests, then on the visible examples and random valid inputs. A mutant that passes
every hidden test but differs from the reference elsewhere is a mistake the hidden tests miss:
that fails here. A mutant that agrees with the reference on every input tried must be listed
below with the reason it is equivalent (someone has looked at it and agreed).
"""

import ast

import pytest

from playground.corpus.mutants import mutants, mutants_of
from playground.corpus.mutation import Fate, judge_mutant, mutation_outcomes, run_program, summary
from playground.problems import all_problems, get_problem

PROBLEMS = list(all_problems())

NO_RANDOMNESS = "the layer draws no random numbers (its parameters start as ones and zeros), so its Rngs' seed does not matter"
SHAPE_MINUS_ONE = "x.shape[1] is x.shape[-1] for the problem's 2-D input"
JAX_CLAMPS = "jax clamps an index past the end to the last element, and that axis has length 1"

EQUIVALENT: dict[str, dict[str, str]] = {
    "module_basics_forward": {
        "transpose:operands_swapped@OneParamDense.__call__#0": "kernel.T @ x equals x @ kernel for a 1-D x",
    },
    "dense_with_bias": {
        "construction_order:swap_0@DenseWithBias.__init__#0": "it swaps building two initialisers, which draw no key",
        "sign:plus->minus@DenseWithBias.__call__#0": "the bias is zeros, so subtracting it changes nothing",
        "transpose:operands_swapped@DenseWithBias.__call__#0": "kernel.T @ x equals x @ kernel for a 1-D x",
    },
    "mlp_relu": {},
    "dropout_modes": {
        "statement_dropped:expr@dropout_modes#0": "model.train() left out: a new nnx.Dropout is already in training mode",
        "statement_repeated:call_twice@dropout_modes#0": "model.train() twice is model.train()",
        "statement_repeated:call_twice@dropout_modes#1": "model.eval() twice is model.eval()",
        "rngs:dropout->default@dropout_modes#0": "nnx.Dropout falls back to the default stream, which then holds the same seed",
    },
    "batchnorm_stats": {
        "statement_dropped:expr@batchnorm_stats#0": "bn.train() left out: a new nnx.BatchNorm already updates its statistics",
        "statement_repeated:call_twice@batchnorm_stats#0": "bn.train() twice is bn.train()",
        "statement_repeated:call_twice@batchnorm_stats#1": "bn.eval() twice is bn.eval()",
        "sign:minus_dropped@batchnorm_stats#0": SHAPE_MINUS_ONE,
        "rngs:seed+1@batchnorm_stats#0": NO_RANDOMNESS,
        "constant:0->1@batchnorm_stats#0": NO_RANDOMNESS,
    },
    "state_roundtrip": {
        "rngs:fresh_rngs_0@build_model#1": NO_RANDOMNESS,
    },
    "training_step": {
        "activation:relu_on_answer@mse#0": "a mean of squares is never negative, so a ReLU on it changes nothing",
        "off_by_one:index[1]+1@mse#0": JAX_CLAMPS,
        "sign:operands_swapped@mse#0": "(y - p)**2 equals (p - y)**2",
        "sign:minus_dropped@training_step#0": SHAPE_MINUS_ONE,
    },
    "conv_feature_map": {
        "off_by_one:index[0]+1@conv_feature_map#0": JAX_CLAMPS,
    },
    "embed_layernorm": {
        "rngs:fresh_rngs_0@EmbedNorm.__init__#1": NO_RANDOMNESS,
    },
    "causal_attention": {
        "initialiser:use_bias=False@CausalSelfAttention.__init__#2": "the value layer is built last, so its missing bias key shifts no later draw, and the bias is zeros",
        "axis:axis[0]:-1->1@CausalSelfAttention.__call__#0": "axis 1 is axis -1 of the 2-D scores",
        "sign:minus_dropped@causal_attention#0": SHAPE_MINUS_ONE,
    },
    "custom_variable": {},
    "vmap_ensemble": {
        "initialiser:use_bias=False@vmap_ensemble.create#0": "one layer per member: no later draw shifts, and the bias is zeros",
        "axis:in_axes[0]:0->-1@vmap_ensemble.create#0": "the split keys have one axis, so axis -1 is axis 0",
    },
}


@pytest.mark.parametrize("problem", PROBLEMS)
def test_mutants_are_many_stable_and_distinct(problem):
    first, second = mutants(problem), mutants(problem)
    assert first == second
    assert len(first) >= 10
    names = [m.name for m in first]
    assert len(set(names)) == len(names)
    reference = ast.unparse(ast.parse(get_problem(problem).solution_source()))
    sources = {m.source for m in first}
    assert len(sources) == len(first) and reference + "\n" not in sources
    for mutant in first:
        ast.parse(mutant.source)


def test_the_generator_covers_the_mistake_families():
    families = {m.family for problem in PROBLEMS for m in mutants(problem)}
    expected = {
        "distribution", "initialiser", "activation", "axis", "off_by_one", "mask", "transpose",
        "flipped_kernel", "stride", "epsilon", "statistics_axes", "value_twice", "sign", "scale",
        "constant", "mode", "statement_dropped", "keyword_dropped", "padding", "rngs",
        "construction_order", "layer_skipped", "output_order",
    }
    assert expected <= families, expected - families


def test_names_do_not_depend_on_line_numbers():
    source = "def f(x):\n    return x - 1\n"
    shifted = "\n\n\n" + source
    assert [m.name for m in mutants_of(source)] == [m.name for m in mutants_of(shifted)]


def test_a_mutant_the_hidden_tests_miss_is_reported_as_surviving():
    problem = get_problem("conv_feature_map")
    subsampled = next(m for m in mutants(problem.id) if m.family == "stride")
    example = {
        "seed": 0.0,
        "image": [[1.0, 2.0, 0.0, -1.0], [0.0, 1.0, 3.0, 1.0], [2.0, -1.0, 1.0, 0.0], [1.0, 0.0, 2.0, 1.0]],
        "features": 1.0,
        "kernel_size": 3.0,
        "stride": 2.0,
        "same": 1.0,
    }
    want = run_program(problem, problem.reference(), example)
    outcome = judge_mutant(problem, subsampled, hidden=[], others=[("statement example", example, want)])
    assert outcome.fate is Fate.SURVIVED and outcome.decided_by == "statement example"
    killed = judge_mutant(problem, subsampled, hidden=[("statement example", example, want)], others=[])
    assert killed.fate is Fate.KILLED


@pytest.mark.slow
@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_wrong_mutant_fails_a_hidden_test(problem):
    outcomes = mutation_outcomes(problem)
    report = summary(problem, outcomes)
    print(report)
    survivors = [(o.name, o.decided_by) for o in outcomes if o.fate is Fate.SURVIVED]
    assert not survivors, f"wrong on some input but passes every hidden test: {survivors}"
    equivalent = {o.name for o in outcomes if o.fate is Fate.EQUIVALENT}
    unexplained = equivalent - set(EQUIVALENT[problem])
    assert not unexplained, f"equivalent to the reference on every input tried, with no reason given: {unexplained}"
    assert report["kill_rate"] == 1.0
