"""dense_with_bias: a hand-written dense layer whose kernel and bias initialise exactly like nnx.Linear."""

from playground.problems import (
    Argument,
    ArgumentKind,
    ErrorHint,
    ParamFinding,
    ParamPitfall,
    folder_problem,
)
from playground.problems.common import Field, cast_hints, custom_input_parser, import_hints
from playground.problems.dense_with_bias.cases import CASES, MAX_SEED
from playground.problems.dense_with_bias.misconceptions import MISCONCEPTIONS

MAX_FEATURES = 64
MAX_INPUTS = 64

CAST_HINT = (
    "The harness passes seed and features as floats: cast them with int(...) before "
    "nnx.Rngs(int(seed)) and before using features in a shape."
)

ERROR_HINTS = (
    *cast_hints(CAST_HINT),
    ErrorHint(
        r"unexpected PRNG key type .*RngStream",
        "You passed rngs.params without calling it: rngs.params() (with the parentheses) "
        "returns the key an initializer needs.",
    ),
    ErrorHint(
        r"unexpected PRNG key type .*Rngs|Rngs.* is not a valid JAX type",
        "You passed the Rngs object where a key is needed: rngs.params() returns the key, so "
        "write nnx.initializers.lecun_normal()(rngs.params(), shape).",
    ),
    ErrorHint(
        r"'function' object is not subscriptable|takes 0 positional arguments but|operand type.*'function'",
        "nnx.initializers.lecun_normal() and zeros_init() build an initializer; you then call "
        "that with (key, shape): nnx.initializers.lecun_normal()(key, (in_features, out_features)).",
        pitfall="Calling `lecun_normal(key, shape)`",
        example="TypeError: 'function' object is not subscriptable",
    ),
    ErrorHint(
        r"missing 1 required positional argument: 'shape'",
        "An initializer is called with a key and a shape: init(key, shape), e.g. "
        "nnx.initializers.lecun_normal()(rngs.params(), (in_features, out_features)).",
    ),
    ErrorHint(
        r"Can't compute input and output sizes of a 1-dimensional weights tensor",
        "lecun_normal needs a 2-D shape to know in_features: use it for the kernel only. The "
        "bias is zeros: nnx.initializers.zeros_init()(key, (out_features,)).",
    ),
    ErrorHint(
        r"dot_general requires contracting dimensions to have the same shape",
        "The shapes do not line up for x @ kernel: create the kernel with shape "
        "(in_features, out_features), where in_features is x.shape[-1], and compute "
        "x @ kernel + bias.",
    ),
    ErrorHint(
        r"has no attribute '(init|apply)'",
        "nnx modules have no init or apply (that is Linen): constructing the module creates its "
        "parameters, and calling it runs the forward pass.",
    ),
    ErrorHint(
        r"missing 1 required (positional|keyword-only) argument: 'rngs'",
        "Your layer needs its random keys: construct it with rngs=nnx.Rngs(int(seed)).",
    ),
    *import_hints(),
    ErrorHint(
        r"'jaxlib\._jax\.ArrayImpl' object is not callable",
        "You called an array: a parameter is read, not called. Write self.kernel[...] and "
        "self.bias[...] (not self.kernel() or self.kernel.value()).",
    ),
)

STARTER_HINT = (
    "This is still the starter code: replace each NotImplementedError with your code, starting "
    "with `self.kernel = nnx.Param(...)` and `self.bias = nnx.Param(...)` in `__init__`."
)


def _check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    n_in, n_out = len(inputs["x"]), int(inputs["features"])
    kernel, bias = (n_in, n_out), (n_out,)
    shapes = [tuple(s) for s in shapes]
    if not shapes:
        return ParamFinding(
            "Your module created no nnx.Param, so nnx sees neither a kernel nor a bias.",
            "Wrap both arrays in nnx.Param(...): a plain array attribute is not a trainable "
            "parameter that nnx.state or an optimizer can find.",
        )
    listed = ", ".join(str(s) for s in shapes)
    if len(shapes) == 1 and shapes[0] == kernel:
        return ParamFinding(
            f"Your module created only a kernel {kernel}; it should also have a bias {bias}.",
            "Your layer has no bias parameter (nnx.Linear with use_bias=False has none either, and a "
            "plain array attribute is not a parameter). Add self.bias = nnx.Param(nnx.initializers."
            "zeros_init()(rngs.params(), (out_features,))), drawing its key after the kernel's.",
        )
    if len(shapes) != 2:
        return ParamFinding(
            f"Your module created {len(shapes)} parameters with shapes {listed}; it should have two.",
            f"A dense layer has exactly two parameters: the kernel {kernel} "
            f"(in_features, out_features) and the bias {bias} (out_features,).",
        )
    if sorted(shapes) != sorted([kernel, bias]):
        return ParamFinding(
            f"Your module created parameters with shapes {listed}; they should be {kernel} and {bias}.",
            "The kernel has shape (in_features, out_features), with in_features = x.shape[-1] "
            "and out_features = int(features); the bias has shape (out_features,).",
        )
    return None


PROBLEM = folder_problem(
    __file__,
    id="dense_with_bias",
    title="A dense layer with bias that matches nnx.Linear",
    order=2,
    entry_point="dense_with_bias",
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
    param_pitfalls=(
        ParamPitfall("no bias at all", lambda inputs: [(len(inputs["x"]), int(inputs["features"]))]),
    ),
    kernel_shape=lambda inputs: (len(inputs["x"]), int(inputs["features"])),
    parse_custom_input=custom_input_parser(
        Field("seed", "whole", 0, MAX_SEED, "0"),
        Field("features", "whole", 1, MAX_FEATURES, "4"),
        Field("x", "numbers", 1, MAX_INPUTS, "1, 2, 3"),
    ),
    hints=(
        "nnx.Linear does two things in `__init__`: it draws a key with `rngs.params()` and fills "
        "the kernel from it, then draws a second key and fills the bias. Do the same, in that order.",
        "`nnx.initializers.lecun_normal()` returns a function; call it as "
        "`init(key, (in_features, out_features))`. The bias comes from "
        "`nnx.initializers.zeros_init()(rngs.params(), (out_features,))`. Wrap both in `nnx.Param`.",
        "`__call__` returns `x @ self.kernel[...] + self.bias[...]`. In dense_with_bias: "
        "`layer = DenseWithBias(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))`, then "
        "`return layer(x)`.",
    ),
    shape_arguments=("features",),
    custom_fields=("seed", "features", "x"),
)
