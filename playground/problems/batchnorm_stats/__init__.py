"""batchnorm_stats: nnx.BatchNorm's running statistics (BatchStat, not Param) in training and evaluation mode."""

from playground.problems import Argument, ArgumentKind, ErrorHint, folder_problem
from playground.problems.batchnorm_stats.cases import CASES, MAX_CALLS
from playground.problems.batchnorm_stats.misconceptions import MISCONCEPTIONS
from playground.problems.common import Field, custom_input_parser, import_hints

MAX_ROWS = 16
MAX_FEATURES = 16

ERROR_HINTS = (
    ErrorHint(
        r"'float' object cannot be interpreted as an integer",
        "The harness passes calls as a float: loop with range(int(calls)).",
        pitfall="Forgetting `int()`",
        example="TypeError: 'float' object cannot be interpreted as an integer",
    ),
    ErrorHint(
        r"Shapes must be 1D sequences of concrete values of integer type",
        "num_features must be a whole number: the number of columns, batch.shape[-1].",
    ),
    ErrorHint(
        r"incompatible shapes for broadcasting",
        "BatchNorm's num_features is the number of features, the columns of the batch: "
        "batch.shape[-1]. The statistics are taken over the rows (the batch axis).",
    ),
    ErrorHint(
        r"missing 1 required keyword-only argument: 'rngs'",
        "nnx.BatchNorm requires rngs even though its default scale (ones) and bias (zeros) use "
        "no randomness: pass rngs=nnx.Rngs(0).",
    ),
    ErrorHint(
        r"(train|eval)\(\) takes 1 positional argument",
        "In nnx, bn.train() and bn.eval() take no arguments (there is no train(False) as in "
        "PyTorch): call bn.eval() to switch to evaluation mode.",
    ),
    ErrorHint(
        r"No `use_running_average` argument was provided to BatchNorm",
        "Your BatchNorm was built with use_running_average=None: leave that argument out and "
        "switch modes with bn.train() and bn.eval().",
    ),
    ErrorHint(
        r"has no attribute '(running_mean|running_var|moving_mean|moving_var\w*|batch_stats)'",
        "nnx.BatchNorm keeps its running statistics in two nnx.BatchStat variables, bn.mean and "
        "bn.var: read them with bn.mean[...] and bn.var[...].",
    ),
    ErrorHint(
        r"has no attribute '(init|apply)'",
        "nnx modules have no init or apply (that is Linen): constructing nnx.BatchNorm creates "
        "its variables, and calling it runs it.",
    ),
    ErrorHint(
        r"'(BatchStat|jaxlib\._jax\.ArrayImpl|ArrayImpl)' object is not callable",
        "A BatchStat is read, not called: use bn.mean[...] and bn.var[...].",
    ),
    *import_hints(),
)

STARTER_HINT = (
    "This is still the starter code: replace the NotImplementedError with your code, starting "
    "with `bn = nnx.BatchNorm(batch.shape[-1], momentum=momentum, rngs=nnx.Rngs(0))`."
)



PROBLEM = folder_problem(
    __file__,
    id="batchnorm_stats",
    title="BatchNorm statistics",
    order=5,
    entry_point="batchnorm_stats",
    arguments=(
        Argument("batch", ArgumentKind.F32_MATRIX),
        Argument("momentum", ArgumentKind.FLOAT),
        Argument("calls", ArgumentKind.FLOAT),
    ),
    cases=CASES,
    rtol=1e-4,
    atol=1e-5,
    misconceptions=MISCONCEPTIONS,
    error_hints=ERROR_HINTS,
    starter_hint=STARTER_HINT,
    parse_custom_input=custom_input_parser(
        Field("batch", "matrix", 1, MAX_ROWS, "1, 2, 0; 3, 2, 4; 5, 6, -2", columns=MAX_FEATURES, largest=1e4),
        Field("momentum", "number", 0, 1, "0.9"),
        Field("calls", "whole", 0, MAX_CALLS, "3"),
    ),
    hints=(
        "Build `bn = nnx.BatchNorm(batch.shape[-1], momentum=momentum, rngs=nnx.Rngs(0))`: one "
        "feature per column. It starts in training mode, with running mean 0 and running variance 1.",
        "Every call in training mode normalises with the batch's own statistics and updates "
        "`bn.mean` and `bn.var` by running = momentum * running + (1 - momentum) * batch_statistic. "
        "Make `int(calls)` such calls.",
        "After the loop `for _ in range(int(calls)): bn(batch)`, call `bn.eval()`, then "
        "`eval_out = bn(batch)`, and `return bn.mean[...], bn.var[...], eval_out`.",
    ),
    shape_arguments=(),
    custom_fields=("batch", "momentum", "calls"),
    output_names=("mean", "var", "eval_out"),
)
