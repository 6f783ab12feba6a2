"""dropout_modes: nnx.Dropout fed by a named `dropout` rng stream, in training and in evaluation mode."""

from playground.problems import Argument, ArgumentKind, ErrorHint, folder_problem
from playground.problems.common import Field, custom_input_parser, import_hints
from playground.problems.dropout_modes.cases import CASES, MAX_SEED
from playground.problems.dropout_modes.misconceptions import MISCONCEPTIONS

MAX_INPUTS = 64

ERROR_HINTS = (
    ErrorHint(
        r"Invalid rng value|PRNG key seed must be an integer",
        "The harness passes seed as a float: cast it with int(...), as in nnx.Rngs(dropout=int(seed)).",
        pitfall="Forgetting `int()`",
        example="ValueError: Invalid rng value: 0.0, expected a jax.Array of jax.dtypes.prng_key sub-dtype",
    ),
    ErrorHint(
        r"No RngStream named 'dropout'",
        "nnx.Dropout takes its keys from the stream named `dropout`, and your Rngs has no such "
        "stream (and no default one to fall back on): build it as nnx.Rngs(dropout=int(seed)).",
        pitfall="Building `nnx.Rngs(params=...)` only",
        example="KeyError: \"No RngStream named 'dropout' found in Rngs.\"",
    ),
    ErrorHint(
        r"no `rngs` argument was provided to Dropout",
        "In training mode nnx.Dropout needs random keys: construct it with the Rngs, "
        "nnx.Dropout(rate, rngs=rngs), inside your module's __init__.",
    ),
    ErrorHint(
        r"rngs must be a Rngs, RngStream",
        "nnx.Dropout's rngs argument takes an nnx.Rngs object, not the seed itself: pass "
        "rngs=nnx.Rngs(dropout=int(seed)).",
    ),
    ErrorHint(
        r"(train|eval)\(\) takes 1 positional argument",
        "In nnx, model.train() and model.eval() take no arguments (there is no train(False) as in "
        "PyTorch): call model.eval() to switch to evaluation mode.",
        pitfall="`model.train(False)` is PyTorch",
        example="TypeError: Module.train() takes 1 positional argument but 2 were given",
    ),
    ErrorHint(
        r"No `deterministic` argument was provided to Dropout",
        "Your Dropout was built with deterministic=None: leave that argument out and switch "
        "modes with model.train() and model.eval().",
    ),
    ErrorHint(
        r"unexpected PRNG key type .*Rngs|Rngs.* is not a valid JAX type",
        "You passed the Rngs object where a key is needed. Simplest: let nnx.Dropout draw its "
        "own keys by giving it rngs=rngs in the constructor.",
    ),
    ErrorHint(
        r"missing 1 required (positional|keyword-only) argument: 'rngs'",
        "Your module needs its random keys: construct it with rngs=nnx.Rngs(dropout=int(seed)).",
    ),
    *import_hints(),
)

STARTER_HINT = (
    "This is still the starter code: replace each NotImplementedError with your code, starting "
    "with `self.dropout = nnx.Dropout(rate, rngs=rngs)` in `__init__`."
)


PROBLEM = folder_problem(
    __file__,
    id="dropout_modes",
    title="Dropout and modes",
    order=4,
    entry_point="dropout_modes",
    arguments=(
        Argument("seed", ArgumentKind.FLOAT),
        Argument("x", ArgumentKind.F32_VECTOR),
        Argument("rate", ArgumentKind.FLOAT),
    ),
    cases=CASES,
    rtol=1e-5,
    atol=1e-6,
    misconceptions=MISCONCEPTIONS,
    error_hints=ERROR_HINTS,
    starter_hint=STARTER_HINT,
    parse_custom_input=custom_input_parser(
        Field("seed", "whole", 0, MAX_SEED, "0"),
        Field("x", "numbers", 1, MAX_INPUTS, "1, 2, 3"),
        Field("rate", "number", 0, 1, "0.25", below_high=True),
    ),
    hints=(
        "nnx.Dropout draws its masks from the rng stream named `dropout`: build "
        "`rngs = nnx.Rngs(dropout=int(seed))` and give it to the layer's constructor, "
        "`self.dropout = nnx.Dropout(rate, rngs=rngs)`.",
        "`model.train()` puts every Dropout inside the module in training mode and `model.eval()` "
        "in evaluation mode. Call the model on x once in each mode, training first.",
        "`model = DropoutBlock(rate, rngs=nnx.Rngs(dropout=int(seed)))`, then `model.train()`, "
        "`train = model(x)`, `model.eval()`, `evaluated = model(x)` and `return train, evaluated`.",
    ),
    shape_arguments=(),
    custom_fields=("seed", "rate", "x"),
    output_names=("train", "eval"),
)
