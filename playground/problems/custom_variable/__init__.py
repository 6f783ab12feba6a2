"""custom_variable: a Variable type of the learner's own (a call counter), filtered with nnx.state."""

from playground.problems import Argument, ArgumentKind, ErrorHint, folder_problem
from playground.problems.common import INIT_APPLY_HINT, Field, cast_hints, custom_input_parser, import_hints
from playground.problems.custom_variable.cases import CASES, MAX_CALLS, MAX_SEED
from playground.problems.custom_variable.misconceptions import MISCONCEPTIONS

MAX_INPUTS = 16

CAST_HINT = (
    "The harness passes seed and calls as floats: cast them with int(...), as in "
    "nnx.Rngs(int(seed)) and range(int(calls))."
)

ERROR_HINTS = (
    ErrorHint(
        r"In-place operations are no longer supported for Variable",
        "A Variable is not updated with self.count += 1: add to the value inside it with "
        "self.count[...] += 1 (the Counter object stays, its value changes).",
        pitfall="Writing `self.count += 1`",
        example=(
            "NotImplementedError: In-place operations are no longer supported for Variable.\n"
            "Use `variable[...] += x` instead."
        ),
    ),
    ErrorHint(
        r"'int' object is not subscriptable",
        "Your Counter holds a Python int, which [...] cannot update: create it with an array, Counter(jnp.array(0)).",
    ),
    ErrorHint(
        r"Variable\.__init__\(\) missing 1 required positional argument: 'value'",
        "A Variable is created with its starting value: Counter(jnp.array(0)).",
    ),
    ErrorHint(
        r"'float' object cannot be interpreted as an integer",
        CAST_HINT,
        pitfall="Forgetting `int()`",
        example="TypeError: 'float' object cannot be interpreted as an integer",
    ),
    *cast_hints(CAST_HINT),
    ErrorHint(
        r"missing 1 required keyword-only argument: 'rngs'",
        "nnx.Linear needs its random keys: build it with rngs=nnx.Rngs(int(seed)).",
    ),
    INIT_APPLY_HINT,
    *import_hints(),
)

STARTER_HINT = (
    "This is still the starter code: define `class Counter(nnx.Variable): pass`, then replace "
    "each NotImplementedError, starting with `self.count = Counter(jnp.array(0))` in `__init__`."
)

PROBLEM = folder_problem(
    __file__,
    id="custom_variable",
    title="A Variable of your own: counting calls",
    order=11,
    entry_point="custom_variable",
    arguments=(
        Argument("seed", ArgumentKind.FLOAT),
        Argument("x", ArgumentKind.F32_VECTOR),
        Argument("calls", ArgumentKind.FLOAT),
    ),
    cases=CASES,
    rtol=1e-5,
    atol=1e-6,
    misconceptions=MISCONCEPTIONS,
    error_hints=ERROR_HINTS,
    starter_hint=STARTER_HINT,
    parse_custom_input=custom_input_parser(
        Field("seed", "whole", 0, MAX_SEED, "0"),
        Field("calls", "whole", 1, MAX_CALLS, "3"),
        Field("x", "numbers", 1, MAX_INPUTS, "1, 2, 3"),
    ),
    hints=(
        "`class Counter(nnx.Variable): pass` is a whole Variable type: nnx stores it, copies it "
        "and filters by it like Param or BatchStat. Create one in `__init__`: "
        "`self.count = Counter(jnp.array(0))`.",
        "In `__call__`, `self.count[...] += 1` changes the value inside the Counter. Call the "
        "model `int(calls)` times and keep the last output.",
        "`nnx.state(model, Counter)` holds only the counter and `nnx.state(model, nnx.Param)` only "
        "the kernel and bias: flatten each with `jax.tree.leaves(...)` as the statement shows.",
    ),
    shape_arguments=(),
    custom_fields=("seed", "calls", "x"),
    output_names=("count", "params", "output"),
)
