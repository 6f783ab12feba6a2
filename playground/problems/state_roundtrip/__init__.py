"""state_roundtrip: split a model into graphdef and state, count and shift its params, merge a new model."""

from playground.problems import (
    Argument,
    ArgumentKind,
    ErrorHint,
    ParamFinding,
    folder_problem,
)
from playground.problems.common import (
    INIT_APPLY_HINT,
    MAX_SEED,
    Field,
    cast_hints,
    custom_input_parser,
    import_hints,
)
from playground.problems.state_roundtrip.cases import CASES
from playground.problems.state_roundtrip.misconceptions import MISCONCEPTIONS

MAX_FEATURES = 16
MAX_INPUTS = 16
MAX_SHIFT = 100.0

CAST_HINT = (
    "The harness passes seed and features as floats: cast them with int(...) before "
    "nnx.Rngs(int(seed)) and before using features as a size."
)

ERROR_HINTS = (
    *cast_hints(CAST_HINT),
    ErrorHint(
        r"Non-exhaustive filters",
        "nnx.split must place every variable somewhere: with nnx.split(model, nnx.Param) the "
        "BatchNorm's statistics are left over. Add `...` as the last filter to collect the rest: "
        "graphdef, params, rest = nnx.split(model, nnx.Param, ...).",
        pitfall="Forgetting `...` in `nnx.split(model, nnx.Param, ...)`",
        example="ValueError: Non-exhaustive filters, got a non-empty remainder: FlatState([",
    ),
    ErrorHint(
        r"Incorrect number of leaves",
        "nnx.merge needs every piece of state the graphdef describes: pass the shifted params "
        "and the rest, nnx.merge(graphdef, new_params, rest).",
    ),
    ErrorHint(
        r"Expected a GraphDef or GraphState object",
        "nnx.merge takes the graphdef first and the states after it: nnx.merge(graphdef, new_params, rest).",
    ),
    ErrorHint(
        r"'GraphDef' object is not callable",
        "A graphdef is only the model's structure, with no arrays: build a model with "
        "nnx.merge(graphdef, new_params, rest) and call that.",
    ),
    ErrorHint(
        r"No attribute '\w+' in State|unsupported operand type.*'State'|'State' object is not",
        "A State is a nested mapping of variables, not an array. Treat it as a pytree: "
        "jax.tree.leaves(params) lists its arrays, and jax.tree.map(lambda a: a + shift, params) "
        "builds a shifted copy.",
    ),
    INIT_APPLY_HINT,
    ErrorHint(
        r"missing 1 required (positional|keyword-only) argument: 'rngs'",
        "nnx.Linear and nnx.BatchNorm need rngs=...: pass the same nnx.Rngs(int(seed)) to both.",
    ),
    *import_hints(),
)

STARTER_HINT = (
    "This is still the starter code: replace the NotImplementedError with your code, starting "
    "with `graphdef, params, rest = nnx.split(model, nnx.Param, ...)`."
)


def _check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    n_in, features = len(inputs["x"]), int(inputs["features"])
    expected = [(n_in, features), (features,), (features,), (features,)]
    got = [tuple(s) for s in shapes[:4]]
    if got == expected:
        return None
    listed = ", ".join(str(s) for s in got) or "none"
    return ParamFinding(
        f"Your code created parameters of shapes {listed}; the model's are "
        f"{', '.join(str(s) for s in expected)} (Linear kernel and bias, BatchNorm scale and bias).",
        "Keep the model from the starter code: nnx.Sequential of nnx.Linear(len(x), features) and "
        "nnx.BatchNorm(features, use_running_average=True), built from one nnx.Rngs(int(seed)).",
    )


PROBLEM = folder_problem(
    __file__,
    id="state_roundtrip",
    title="State handling: split, state, merge",
    order=6,
    entry_point="state_roundtrip",
    arguments=(
        Argument("seed", ArgumentKind.FLOAT),
        Argument("x", ArgumentKind.F32_VECTOR),
        Argument("features", ArgumentKind.FLOAT),
        Argument("shift", ArgumentKind.FLOAT),
    ),
    cases=CASES,
    rtol=1e-5,
    atol=1e-5,
    misconceptions=MISCONCEPTIONS,
    error_hints=ERROR_HINTS,
    starter_hint=STARTER_HINT,
    check_params=_check_params,
    kernel_shape=lambda inputs: (len(inputs["x"]), int(inputs["features"])),
    parse_custom_input=custom_input_parser(
        Field("seed", "whole", 0, MAX_SEED, "0"),
        Field("features", "whole", 1, MAX_FEATURES, "2"),
        Field("shift", "number", -MAX_SHIFT, MAX_SHIFT, "0.5"),
        Field("x", "numbers", 1, MAX_INPUTS, "1, 2, 3"),
    ),
    hints=(
        "`nnx.split(model, nnx.Param, ...)` returns three things: the graphdef (the structure, no arrays), a "
        "State holding every `nnx.Param`, and a State holding everything else, here the BatchNorm's "
        "`mean` and `var`.",
        "A State is a pytree: `jax.tree.leaves(params)` lists its arrays, so the count is "
        "`sum(a.size for a in jax.tree.leaves(params))`, and `jax.tree.map(lambda a: a + shift, params)` "
        "returns a shifted copy without touching the model.",
        "`new_model = nnx.merge(graphdef, new_params, rest)` builds a second model; then return "
        "`(count, model(x), new_model(x))`.",
    ),
    shape_arguments=("features",),
    custom_fields=("seed", "features", "shift", "x"),
    output_names=("count", "original", "merged"),
)
