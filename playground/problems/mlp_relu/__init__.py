"""mlp_relu: two nnx.Linear submodules built from one Rngs, with a ReLU between them."""

from playground.problems import (
    Argument,
    ArgumentKind,
    ErrorHint,
    ParamFinding,
    folder_problem,
)
from playground.problems.common import Field, cast_hints, custom_input_parser, import_hints
from playground.problems.mlp_relu.cases import CASES, MAX_SEED
from playground.problems.mlp_relu.misconceptions import MISCONCEPTIONS

MAX_SIZE = 64
MAX_INPUTS = 64

CAST_HINT = (
    "The harness passes seed, hidden and features as floats: cast them with int(...) before "
    "nnx.Rngs(int(seed)) and before passing hidden and features to nnx.Linear."
)

ERROR_HINTS = (
    *cast_hints(CAST_HINT),
    ErrorHint(
        r"Found data on value of type '<class 'list'>' assigned to static attribute",
        "A plain Python list of layers is not tracked by nnx. Give each layer its own attribute "
        "(self.linear1, self.linear2), or wrap the list in nnx.List([...]).",
    ),
    ErrorHint(
        r"Linear\.__init__\(\) takes 3 positional arguments but 4 were given",
        "Pass the Rngs by keyword: nnx.Linear(in_features, out_features, rngs=rngs).",
    ),
    ErrorHint(
        r"missing 1 required (positional|keyword-only) argument: 'rngs'",
        "Every nnx.Linear needs the random keys: build both with rngs=rngs, the same nnx.Rngs "
        "object made once from int(seed).",
    ),
    ErrorHint(
        r"dot_general requires contracting dimensions to have the same shape",
        "The layer sizes do not chain: linear1 maps x.shape[-1] -> hidden and linear2 maps "
        "hidden -> features, so linear2's in_features must equal linear1's out_features.",
    ),
    ErrorHint(
        r"maximum requires ndarray or scalar arguments, got <class 'flax\.nnx",
        "You applied relu to a layer instead of to its output: call the layer first, nnx.relu(self.linear1(x)).",
    ),
    ErrorHint(
        r"has no attribute 'relu'|has no attribute 'ReLU'",
        "ReLU is a plain function in nnx: nnx.relu(h) (the same as jax.nn.relu); jax.numpy has "
        "no relu, and nnx has no ReLU class.",
    ),
    ErrorHint(
        r"has no attribute '(init|apply)'",
        "nnx modules have no init or apply (that is Linen): constructing the module creates its "
        "parameters, and calling it runs the forward pass.",
    ),
    *import_hints(),
)

STARTER_HINT = (
    "This is still the starter code: replace each NotImplementedError with your code, starting "
    "with `self.linear1 = nnx.Linear(...)` and `self.linear2 = nnx.Linear(...)` in `__init__`."
)


def _expected_shapes(inputs: dict) -> list[tuple[int, ...]]:
    n_in, n_hidden, n_out = len(inputs["x"]), int(inputs["hidden"]), int(inputs["features"])
    return [(n_in, n_hidden), (n_hidden,), (n_hidden, n_out), (n_out,)]


def _check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    want = _expected_shapes(inputs)
    got = [tuple(s) for s in shapes]
    wanted = ", ".join(str(s) for s in want)
    if got == want:
        return None
    if not got:
        return ParamFinding(
            "Your module created no nnx.Param, so nnx sees no weights at all.",
            "Build the two layers with nnx.Linear inside __init__ and store them as attributes "
            "(self.linear1, self.linear2): each creates its kernel and bias as nnx.Params.",
        )
    listed = ", ".join(str(s) for s in got)
    if len(got) != 4:
        return ParamFinding(
            f"Your module created {len(got)} parameters with shapes {listed}; it should have four: {wanted}.",
            "The MLP has exactly two nnx.Linear layers, each with a kernel and a bias: "
            "linear1 (in_features -> hidden) and linear2 (hidden -> features). Build each once.",
        )
    if got == want[2:] + want[:2]:
        return ParamFinding(
            f"Your module created its parameters in the order {listed}; expected {wanted}.",
            "linear2 was built before linear1, so it took linear1's keys. Construct linear1 "
            "(in_features -> hidden) first, then linear2, from the same Rngs.",
        )
    return ParamFinding(
        f"Your module created parameters with shapes {listed}; expected {wanted}.",
        "linear1 maps in_features = x.shape[-1] to int(hidden), and linear2 maps int(hidden) to "
        "int(features); build them in that order.",
    )


PROBLEM = folder_problem(
    __file__,
    id="mlp_relu",
    title="A two-layer MLP",
    order=3,
    entry_point="mlp_relu",
    arguments=(
        Argument("seed", ArgumentKind.FLOAT),
        Argument("x", ArgumentKind.F32_VECTOR),
        Argument("hidden", ArgumentKind.FLOAT),
        Argument("features", ArgumentKind.FLOAT),
    ),
    cases=CASES,
    rtol=1e-5,
    atol=1e-6,
    misconceptions=MISCONCEPTIONS,
    error_hints=ERROR_HINTS,
    starter_hint=STARTER_HINT,
    check_params=_check_params,
    kernel_shape=lambda inputs: (len(inputs["x"]), int(inputs["hidden"])),
    parse_custom_input=custom_input_parser(
        Field("seed", "whole", 0, MAX_SEED, "0"),
        Field("hidden", "whole", 1, MAX_SIZE, "8"),
        Field("features", "whole", 1, MAX_SIZE, "2"),
        Field("x", "numbers", 1, MAX_INPUTS, "1, 2, 3"),
    ),
    hints=(
        "A layer inside a module is just an attribute: in `__init__`, `self.linear1 = nnx.Linear(...)` "
        "and `self.linear2 = nnx.Linear(...)`, both given the same `rngs`, linear1 first.",
        "linear1 is `nnx.Linear(in_features, hidden, rngs=rngs)` and linear2 is "
        "`nnx.Linear(hidden, out_features, rngs=rngs)`. `__call__` returns "
        "`self.linear2(nnx.relu(self.linear1(x)))`.",
        "In mlp_relu: `model = MLP(x.shape[-1], int(hidden), int(features), rngs=nnx.Rngs(int(seed)))`, "
        "then `return model(x)`. Make the Rngs once and build nothing else from it before the MLP.",
    ),
    shape_arguments=("hidden", "features"),
    custom_fields=("seed", "hidden", "features", "x"),
)
