"""module_basics_forward: a one-parameter nnx module whose kernel comes from rngs.params()."""

from playground.problems import (
    Argument,
    ArgumentKind,
    ErrorHint,
    ParamFinding,
    ParamPitfall,
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
from playground.problems.module_basics_forward.cases import CASES
from playground.problems.module_basics_forward.misconceptions import MISCONCEPTIONS

MAX_FEATURES = 64
MAX_INPUTS = 64

CAST_HINT = (
    "The harness passes seed and features as floats: cast them with int(...) before "
    "nnx.Rngs(int(seed)) and before using features as a shape."
)

ERROR_HINTS = (
    *cast_hints(CAST_HINT),
    ErrorHint(
        r"unexpected PRNG key type .*Rngs|Rngs.* is not a valid JAX type|RngStream",
        "You passed the Rngs object where a key is needed: rngs.params() returns the key, so "
        "write jax.random.normal(rngs.params(), shape).",
        pitfall="Passing the `Rngs` object where a key is needed",
        example="TypeError: unexpected PRNG key type <class 'flax.nnx.rnglib.Rngs'>",
    ),
    INIT_APPLY_HINT,
    ErrorHint(
        r"missing 1 required (positional|keyword-only) argument: 'rngs'",
        "Your module needs its random numbers: construct it with rngs=nnx.Rngs(int(seed)).",
        pitfall="Forgetting the `rngs` argument",
        example="TypeError: Dense.__init__() missing 1 required keyword-only argument: 'rngs'",
    ),
    *import_hints(),
    ErrorHint(
        r"Variable.*(value|__getitem__)|Param.*not callable",
        "Read a parameter's array with self.kernel[...] (or the deprecated self.kernel.value).",
    ),
)

STARTER_HINT = (
    "This is still the starter code: replace each NotImplementedError with your code, starting "
    "with `self.kernel = nnx.Param(...)` in `__init__`."
)


def _check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    n_in, n_out = len(inputs["x"]), int(inputs["features"])
    if not shapes:
        return ParamFinding(
            "Your module created no nnx.Param, so nnx does not see a trainable kernel.",
            "Wrap the kernel in nnx.Param(...): a plain array attribute is not a trainable "
            "parameter that nnx.state or an optimizer can find.",
        )
    if len(shapes) > 1:
        listed = ", ".join(str(tuple(s)) for s in shapes)
        return ParamFinding(
            f"Your module created {len(shapes)} parameters with shapes {listed}; it should have one.",
            "This module has a single parameter, the kernel of shape (in_features, "
            "out_features): no bias and no second weight.",
        )
    if tuple(shapes[0]) != (n_in, n_out):
        return ParamFinding(
            f"Your kernel has shape {tuple(shapes[0])}; it should be ({n_in}, {n_out}).",
            "Create the kernel with shape (in_features, out_features), where in_features is "
            "x.shape[-1] and out_features is int(features), and compute x @ kernel.",
        )
    return None


PROBLEM = folder_problem(
    __file__,
    id="module_basics_forward",
    title="Module basics: a one-parameter layer",
    order=1,
    entry_point="module_basics_forward",
    arguments=(
        Argument("seed", ArgumentKind.FLOAT),
        Argument("x", ArgumentKind.F32_VECTOR),
        Argument("features", ArgumentKind.FLOAT),
    ),
    cases=CASES,
    rtol=1e-5,
    atol=1e-6,
    misconceptions=MISCONCEPTIONS,
    error_hints=ERROR_HINTS,
    starter_hint=STARTER_HINT,
    check_params=_check_params,
    param_pitfalls=(ParamPitfall("Storing a plain array instead of wrapping it in `nnx.Param`", lambda inputs: []),),
    kernel_shape=lambda inputs: (len(inputs["x"]), int(inputs["features"])),
    parse_custom_input=custom_input_parser(
        Field("seed", "whole", 0, MAX_SEED, "0"),
        Field("features", "whole", 1, MAX_FEATURES, "4"),
        Field("x", "numbers", 1, MAX_INPUTS, "1, 2, 3"),
    ),
    hints=(
        "Start in `__init__`: draw one key with `key = rngs.params()`; that is the only random key you need.",
        "The kernel is `jax.random.normal(key, (in_features, out_features)) * (1 / math.sqrt(in_features))`, "
        "wrapped in `nnx.Param(...)` and stored as `self.kernel`.",
        "`__call__` returns `x @ self.kernel[...]`. In module_basics_forward: "
        "`model = Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))`, then `return model(x)`.",
    ),
    shape_arguments=("features",),
    custom_fields=("seed", "features", "x"),
)
