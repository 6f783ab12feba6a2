"""module_basics_forward: a one-parameter nnx module whose kernel comes from rngs.params()."""

import math

from playground.problems import (
    Argument,
    ArgumentKind,
    ErrorHint,
    ParamFinding,
    Problem,
    read_text,
)
from playground.problems.module_basics_forward.cases import CASES, MAX_SEED
from playground.problems.module_basics_forward.misconceptions import MISCONCEPTIONS

MAX_FEATURES = 64
MAX_INPUTS = 64

CAST_HINT = (
    "The harness passes seed and features as floats: cast them with int(...) before "
    "nnx.Rngs(int(seed)) and before using features as a shape."
)

ERROR_HINTS = (
    ErrorHint(r"Invalid rng value|PRNG key seed must be an integer", CAST_HINT),
    ErrorHint(r"Shapes must be 1D sequences of concrete values of integer type", CAST_HINT),
    ErrorHint(r"'float' object cannot be interpreted as an integer", CAST_HINT),
    ErrorHint(
        r"unexpected PRNG key type .*Rngs|Rngs.* is not a valid JAX type|RngStream",
        "You passed the Rngs object where a key is needed: rngs.params() returns the key, so "
        "write jax.random.normal(rngs.params(), shape).",
    ),
    ErrorHint(
        r"has no attribute '(init|apply)'",
        "nnx modules have no init or apply (that is Linen): constructing the module creates its "
        "parameters, and calling it runs the forward pass.",
    ),
    ErrorHint(
        r"missing 1 required (positional|keyword-only) argument: 'rngs'",
        "Your module needs its random numbers: construct it with rngs=nnx.Rngs(int(seed)).",
    ),
    ErrorHint(
        r"name 'nnx' is not defined",
        "nnx is not imported: add `from flax import nnx` at the top of your code.",
    ),
    ErrorHint(
        r"name 'jax' is not defined",
        "jax is not imported: add `import jax` at the top of your code.",
    ),
    ErrorHint(
        r"name 'jnp' is not defined",
        "jax.numpy is not imported: add `import jax.numpy as jnp` at the top of your code.",
    ),
    ErrorHint(
        r"name 'math' is not defined",
        "math is not imported: add `import math` at the top of your code.",
    ),
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


def _parse_custom_input(fields: dict) -> tuple[dict | None, str | None]:
    """Turn the page's text fields into inputs, or say what is wrong with them."""
    try:
        seed = float(fields.get("seed", "").strip())
    except ValueError:
        return None, f"Seed must be a whole number from 0 to {MAX_SEED}, e.g. 0."
    if not seed.is_integer() or not 0 <= seed <= MAX_SEED:
        return None, f"Seed must be a whole number from 0 to {MAX_SEED}, e.g. 0."
    try:
        features = float(fields.get("features", "").strip())
    except ValueError:
        return None, f"Features must be a whole number from 1 to {MAX_FEATURES}, e.g. 4."
    if not features.is_integer() or not 1 <= features <= MAX_FEATURES:
        return None, f"Features must be a whole number from 1 to {MAX_FEATURES}, e.g. 4."
    parts = [p for p in fields.get("x", "").replace(",", " ").split() if p]
    if not 1 <= len(parts) <= MAX_INPUTS:
        return None, f"x must hold 1 to {MAX_INPUTS} numbers separated by commas, e.g. 1, 2, 3."
    try:
        x = [float(p) for p in parts]
    except ValueError:
        return None, "x must contain numbers only, separated by commas, e.g. 1, -0.5, 3."
    if not all(math.isfinite(v) and abs(v) <= 1e6 for v in x):
        return None, "Each value of x must be a finite number no larger than 1e6 in size."
    return {"seed": seed, "x": x, "features": features}, None


PROBLEM = Problem(
    id="module_basics_forward",
    title="Module basics: a one-parameter layer",
    order=1,
    entry_point="module_basics_forward",
    arguments=(
        Argument("seed", ArgumentKind.FLOAT),
        Argument("x", ArgumentKind.F32_VECTOR),
        Argument("features", ArgumentKind.FLOAT),
    ),
    statement=read_text(__file__, "statement.md"),
    starter=read_text(__file__, "starter.py"),
    cases=CASES,
    rtol=1e-5,
    atol=1e-6,
    misconceptions=MISCONCEPTIONS,
    error_hints=ERROR_HINTS,
    starter_hint=STARTER_HINT,
    check_params=_check_params,
    kernel_shape=lambda inputs: (len(inputs["x"]), int(inputs["features"])),
    parse_custom_input=_parse_custom_input,
    hints=(
        "Start in `__init__`: draw one key with `key = rngs.params()`; that is the only random key you need.",
        "The kernel is `jax.random.normal(key, (in_features, out_features)) * (1 / math.sqrt(in_features))`, "
        "wrapped in `nnx.Param(...)` and stored as `self.kernel`.",
        "`__call__` returns `x @ self.kernel[...]`. In module_basics_forward: "
        "`model = Dense(x.shape[-1], int(features), rngs=nnx.Rngs(int(seed)))`, then `return model(x)`.",
    ),
    warmup="warmup.py",
    shape_arguments=("features",),
    custom_fields=("seed", "features", "x"),
)
