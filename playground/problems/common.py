"""What many problems share: hints for common nnx mistakes and parsing the page's custom input."""

from __future__ import annotations

import math

import numpy as np

from playground.problems import ErrorHint

MAX_SEED = 2**31 - 1
MAX_VALUE = 1e6

CAST_HINT = (
    "The harness passes whole numbers (seeds, sizes, counts) as floats: cast them with int(...) "
    "before nnx.Rngs(int(seed)) or before using them in a shape."
)


def cast_hints(hint: str = CAST_HINT) -> tuple[ErrorHint, ...]:
    """Hints for a float used where nnx or jax needs an int."""
    return (
        ErrorHint(r"Invalid rng value|PRNG key seed must be an integer", hint),
        ErrorHint(r"Shapes must be 1D sequences of concrete values of integer type", hint),
        ErrorHint(r"'float' object cannot be interpreted as an integer", hint),
    )


INIT_APPLY_HINT = ErrorHint(
    r"has no attribute '(init|apply)'",
    "nnx modules have no init or apply (that is Linen): constructing the module creates its "
    "parameters, and calling it runs the forward pass.",
)


def import_hints() -> tuple[ErrorHint, ...]:
    """Hints for a module used without its import."""
    imports = {
        "nnx": "from flax import nnx",
        "jax": "import jax",
        "jnp": "import jax.numpy as jnp",
        "math": "import math",
        "optax": "import optax",
    }
    return tuple(
        ErrorHint(rf"name '{name}' is not defined", f"{name} is not imported: add `{line}` at the top of your code.")
        for name, line in imports.items()
    )


def whole_number(fields: dict[str, str], name: str, low: int, high: int, example: int) -> tuple[float | None, str | None]:
    """A custom-input field holding a whole number in [low, high], as the float the harness passes."""
    problem = f"{name.capitalize()} must be a whole number from {low} to {high}, e.g. {example}."
    try:
        value = float(fields.get(name, "").strip())
    except ValueError:
        return None, problem
    if not value.is_integer() or not low <= value <= high:
        return None, problem
    return value, None


def number(fields: dict[str, str], name: str, low: float, high: float, example: str) -> tuple[float | None, str | None]:
    """A custom-input field holding any number in [low, high]."""
    problem = f"{name.capitalize()} must be a number from {low:g} to {high:g}, e.g. {example}."
    try:
        value = float(fields.get(name, "").strip())
    except ValueError:
        return None, problem
    if not math.isfinite(value) or not low <= value <= high:
        return None, problem
    return value, None


def number_list(
    fields: dict[str, str], name: str, shortest: int, longest: int, example: str
) -> tuple[list[float] | None, str | None]:
    """A custom-input field holding numbers separated by commas or spaces."""
    parts = [p for p in fields.get(name, "").replace(",", " ").split() if p]
    if not shortest <= len(parts) <= longest:
        return None, f"{name} must hold {shortest} to {longest} numbers separated by commas, e.g. {example}."
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return None, f"{name} must contain numbers only, separated by commas, e.g. {example}."
    if not all(math.isfinite(v) and abs(v) <= MAX_VALUE for v in values):
        return None, f"Each value of {name} must be a finite number no larger than {MAX_VALUE:g} in size."
    return values, None


def float32_values(values: object) -> list:
    """Values rounded to float32 and back, as plain floats (nested lists keep their nesting)."""
    return np.asarray(values, dtype=np.float32).astype(np.float64).tolist()
