"""What state_roundtrip checks in code: the model's parameters, kept as the starter builds them."""

from playground.problems import ParamFinding
from playground.problems.common import listed_shapes


def check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    n_in, features = len(inputs["x"]), int(inputs["features"])
    expected = [(n_in, features), (features,), (features,), (features,)]
    if [tuple(s) for s in shapes[:4]] == expected:
        return None
    return ParamFinding(
        f"Your code created parameters of shapes {listed_shapes(shapes[:4])}; the model's are "
        f"{listed_shapes(expected)} (Linear kernel and bias, BatchNorm scale and bias).",
        "Keep the model from the starter code: nnx.Sequential of nnx.Linear(len(x), features) and "
        "nnx.BatchNorm(features, use_running_average=True), built from one nnx.Rngs(int(seed)).",
    )


def kernel_shape(inputs: dict) -> tuple[int, ...]:
    return (len(inputs["x"]), int(inputs["features"]))
