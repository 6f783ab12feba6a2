"""What many problems share: hints for common nnx mistakes and parsing the page's custom input."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from playground.problems import ErrorHint

MAX_SEED = 2**31 - 1
MAX_VALUE = 1e6

CAST_HINT = (
    "The harness passes whole numbers (seeds, sizes, counts) as floats: cast them with int(...) "
    "before nnx.Rngs(int(seed)) or before using them in a shape."
)


CAST_PITFALL = "Forgetting `int()`"
CAST_EXAMPLES = (
    "ValueError: Invalid rng value: 0.0, expected a jax.Array of jax.dtypes.prng_key sub-dtype",
    "TypeError: Shapes must be 1D sequences of concrete values of integer type, got (3, 4.0).",
    "TypeError: 'float' object cannot be interpreted as an integer",
)


def cast_hints(hint: str = CAST_HINT) -> tuple[ErrorHint, ...]:
    """Hints for a float used where nnx or jax needs an int."""
    patterns = (
        r"Invalid rng value|PRNG key seed must be an integer",
        r"Shapes must be 1D sequences of concrete values of integer type",
        r"'float' object cannot be interpreted as an integer",
    )
    return tuple(
        ErrorHint(pattern, hint, pitfall=CAST_PITFALL, example=example)
        for pattern, example in zip(patterns, CAST_EXAMPLES, strict=True)
    )


INIT_APPLY_HINT = ErrorHint(
    r"has no attribute '(init|apply)'",
    "nnx modules have no init or apply (that is Linen): constructing the module creates its "
    "parameters, and calling it runs the forward pass.",
    pitfall="Calling `init` or `apply`",
    example="AttributeError: 'Dense' object has no attribute 'init'",
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


@dataclass(frozen=True)
class Field:
    """One text field of the page's custom input, and what it must hold.

    kind: "whole" (a whole number), "number", "numbers" (a list separated by commas or spaces) or
    "matrix" (rows separated by semicolons or new lines). For lists, low and high bound the count
    of values (of rows, for a matrix, with up to `columns` values per row); every value's size is
    at most `largest`.
    """

    name: str
    kind: str
    low: float
    high: float
    example: str
    below_high: bool = False  # the value must be strictly below high (e.g. a dropout rate)
    columns: int = 64
    largest: float = MAX_VALUE


def custom_input_parser(*fields: Field) -> Callable[[dict[str, str]], tuple[dict | None, str | None]]:
    """A parse_custom_input for these fields: all of them as the harness passes them, or the first problem."""

    def parse(texts: dict[str, str]) -> tuple[dict | None, str | None]:
        inputs = {}
        for field in fields:
            value, problem = _parse_field(field, str(texts.get(field.name, "")))
            if problem:
                return None, problem
            inputs[field.name] = value
        return inputs, None

    return parse


def whole_number(fields: dict[str, str], name: str, low: int, high: int, example: int) -> tuple[float | None, str | None]:
    """One custom-input field holding a whole number in [low, high], as the float the harness passes."""
    return _parse_field(Field(name, "whole", low, high, str(example)), str(fields.get(name, "")))


def number(fields: dict[str, str], name: str, low: float, high: float, example: str) -> tuple[float | None, str | None]:
    """One custom-input field holding any number in [low, high]."""
    return _parse_field(Field(name, "number", low, high, example), str(fields.get(name, "")))


def number_list(
    fields: dict[str, str], name: str, shortest: int, longest: int, example: str
) -> tuple[list[float] | None, str | None]:
    """One custom-input field holding numbers separated by commas or spaces."""
    return _numbers(Field(name, "numbers", shortest, longest, example), str(fields.get(name, "")))


def _parse_field(field: Field, text: str) -> tuple[object, str | None]:
    if field.kind == "numbers":
        return _numbers(field, text)
    if field.kind == "matrix":
        return _matrix(field, text)
    upper = "up to (not including)" if field.below_high else "to"
    whole = field.kind == "whole"
    what = "whole number" if whole else "number"
    problem = f"{_label(field.name)} must be a {what} from {_fmt(field.low)} {upper} {_fmt(field.high)}, e.g. {field.example}."
    try:
        value = float(text.strip())
    except ValueError:
        return None, problem
    inside = field.low <= value < field.high if field.below_high else field.low <= value <= field.high
    if not math.isfinite(value) or not inside or (whole and not value.is_integer()):
        return None, problem
    return value, None


def _numbers(field: Field, text: str) -> tuple[list[float] | None, str | None]:
    parts = [p for p in text.replace(",", " ").split() if p]
    if not field.low <= len(parts) <= field.high:
        return None, f"{field.name} must hold {_fmt(field.low)} to {_fmt(field.high)} numbers separated by commas, e.g. {field.example}."
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return None, f"{field.name} must contain numbers only, separated by commas, e.g. {field.example}."
    if not all(math.isfinite(v) and abs(v) <= field.largest for v in values):
        return None, f"Each value of {field.name} must be a finite number no larger than {_fmt(field.largest)} in size."
    return values, None


def _matrix(field: Field, text: str) -> tuple[list[list[float]] | None, str | None]:
    rows_text = [r for r in re.split(r"[;\n]", text) if r.strip()]
    shape = f"e.g. {field.example}"
    if not field.low <= len(rows_text) <= field.high:
        return None, f"{field.name} must have {_fmt(field.low)} to {_fmt(field.high)} rows, separated by semicolons ({shape})."
    rows = []
    for row_text in rows_text:
        row, problem = _numbers(Field(field.name, "numbers", 1, field.columns, field.example, largest=field.largest), row_text)
        if problem:
            return None, (
                f"Each row of {field.name} must hold 1 to {field.columns} numbers, each no larger than "
                f"{_fmt(field.largest)} in size, separated by commas ({shape})."
            )
        rows.append(row)
    if len({len(row) for row in rows}) != 1:
        return None, f"Every row of {field.name} must have the same number of values ({shape})."
    return rows, None


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else f"{value:g}"


def float32_values(values: object) -> list:
    """Values rounded to float32 and back, as plain floats (nested lists keep their nesting)."""
    return np.asarray(values, dtype=np.float32).astype(np.float64).tolist()


def listed_shapes(shapes: Iterable[Sequence[int]]) -> str:
    """Parameter shapes as a learner reads them in a finding: "(3, 4), (4,)", or "none"."""
    return ", ".join(str(tuple(s)) for s in shapes) or "none"
