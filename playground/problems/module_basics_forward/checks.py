"""What module_basics_forward checks in code: the one kernel the learner's module created."""

from playground.problems import ParamFinding, ParamPitfall
from playground.problems.common import listed_shapes


def check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    n_in, n_out = len(inputs["x"]), int(inputs["features"])
    if not shapes:
        return ParamFinding(
            "Your module created no nnx.Param, so nnx does not see a trainable kernel.",
            "Wrap the kernel in nnx.Param(...): a plain array attribute is not a trainable "
            "parameter that nnx.state or an optimizer can find.",
        )
    if len(shapes) > 1:
        listed = listed_shapes(shapes)
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


PARAM_PITFALLS = (ParamPitfall("Storing a plain array instead of wrapping it in `nnx.Param`", lambda inputs: []),)


def kernel_shape(inputs: dict) -> tuple[int, ...]:
    return (len(inputs["x"]), int(inputs["features"]))
