"""training_step: a few SGD steps on nnx.Linear with nnx.value_and_grad and nnx.Optimizer."""

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
from playground.problems.training_step.cases import CASES
from playground.problems.training_step.misconceptions import MISCONCEPTIONS

MAX_EXAMPLES = 16
MAX_FEATURES = 8
MAX_STEPS = 10

CAST_HINT = (
    "The harness passes seed and steps as floats: cast them with int(...), as in "
    "nnx.Rngs(int(seed)) and range(int(steps))."
)

ERROR_HINTS = (
    *cast_hints(CAST_HINT),
    ErrorHint(
        r"Missing required argument `wrt`",
        "nnx.Optimizer needs to know which variables it trains: "
        "nnx.Optimizer(model, optax.sgd(learning_rate), wrt=nnx.Param).",
        pitfall="`nnx.Optimizer(model, tx)` without `wrt`",
        example="TypeError: Missing required argument `wrt`. As of Flax 0.11.0 the `wrt` argument is required",
    ),
    ErrorHint(
        r"Missing required argument `grads`",
        "optimizer.update takes the model and the gradients: optimizer.update(model, grads).",
        pitfall="Calling `optimizer.update(grads)` with one argument",
        example="TypeError: Missing required argument `grads`. As of Flax 0.11.0 update requires both (model, grads)",
    ),
    ErrorHint(
        r"does not have attribute 'model'",
        "An nnx.Optimizer keeps no reference to the model: keep your own `model` variable and pass "
        "it to optimizer.update(model, grads).",
    ),
    ErrorHint(
        r"Gradient only defined for scalar-output functions",
        "The loss function must return a single number: average the squared errors with jnp.mean(...).",
    ),
    ErrorHint(
        r"pytree structure error|Expected a State|tuple' object has no attribute",
        "nnx.value_and_grad returns a pair (loss, grads): unpack it, `loss, grads = ...`, and pass only "
        "grads to optimizer.update(model, grads).",
    ),
    ErrorHint(
        r"'function' object has no attribute '(init|update)'",
        "Give nnx.Optimizer an optax transformation, not the function that makes one: "
        "optax.sgd(learning_rate), with the parentheses.",
    ),
    INIT_APPLY_HINT,
    ErrorHint(
        r"missing 1 required (positional|keyword-only) argument: 'rngs'",
        "nnx.Linear needs its random numbers: nnx.Linear(D, 1, rngs=nnx.Rngs(int(seed))).",
    ),
    *import_hints(),
)

STARTER_HINT = (
    "This is still the starter code: replace the NotImplementedError with your code, starting "
    "with `model = nnx.Linear(x.shape[-1], 1, rngs=nnx.Rngs(int(seed)))`."
)


def _check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    features = len(inputs["x"][0])
    expected = [(features, 1), (1,)]
    got = [tuple(s) for s in shapes[:2]]
    if got == expected:
        return None
    listed = ", ".join(str(s) for s in got) or "none"
    return ParamFinding(
        f"Your code created parameters of shapes {listed}; nnx.Linear({features}, 1) has a kernel "
        f"{(features, 1)} and a bias (1,).",
        "Build the model as nnx.Linear(x.shape[-1], 1, rngs=nnx.Rngs(int(seed))): one output, with its default bias.",
    )


_PARSE_FIELDS = custom_input_parser(
    Field("seed", "whole", 0, MAX_SEED, "0"),
    Field("learning_rate", "number", 0, 1, "0.1"),
    Field("steps", "whole", 0, MAX_STEPS, "2"),
    Field("x", "matrix", 1, MAX_EXAMPLES, "1, 2; 0.5, -1; 0, 1", columns=MAX_FEATURES),
    Field("y", "numbers", 1, MAX_EXAMPLES, "1, -1, 0.5"),
)


def _parse_custom_input(fields: dict) -> tuple[dict | None, str | None]:
    """The shared field parser, plus the one rule it cannot know: one row of x per value of y."""
    inputs, problem = _PARSE_FIELDS(fields)
    if problem:
        return None, problem
    if len(inputs["x"]) != len(inputs["y"]):
        return None, (
            f"x has {len(inputs['x'])} rows but y has {len(inputs['y'])} values: give one row of x "
            "(one example) per target, e.g. x = 1, 2; 0.5, -1; 0, 1 and y = 1, -1, 0.5."
        )
    return inputs, None


PROBLEM = folder_problem(
    __file__,
    id="training_step",
    title="One training step with nnx.Optimizer",
    order=7,
    entry_point="training_step",
    arguments=(
        Argument("seed", ArgumentKind.FLOAT),
        Argument("x", ArgumentKind.F32_MATRIX),
        Argument("y", ArgumentKind.F32_VECTOR),
        Argument("learning_rate", ArgumentKind.FLOAT),
        Argument("steps", ArgumentKind.FLOAT),
    ),
    cases=CASES,
    rtol=1e-4,
    atol=1e-5,
    misconceptions=MISCONCEPTIONS,
    error_hints=ERROR_HINTS,
    starter_hint=STARTER_HINT,
    check_params=_check_params,
    kernel_shape=lambda inputs: (len(inputs["x"][0]), 1),
    parse_custom_input=_parse_custom_input,
    hints=(
        "Write the loss as a function of the model: `def loss_fn(model): return jnp.mean((model(x)[:, 0] - y) ** 2)`. "
        "Measure `loss_before = loss_fn(model)` before any update.",
        "Each step is two lines: `loss, grads = nnx.value_and_grad(loss_fn)(model)` and "
        "`optimizer.update(model, grads)`, where "
        "`optimizer = nnx.Optimizer(model, optax.sgd(learning_rate), wrt=nnx.Param)`.",
        "Loop `for _ in range(int(steps)):`, then compute `loss_after = loss_fn(model)` once more and "
        "return `(loss_before, loss_after, model.kernel[...])`.",
    ),
    custom_fields=("seed", "learning_rate", "steps", "x", "y"),
    output_names=("loss_before", "loss_after", "kernel"),
)
