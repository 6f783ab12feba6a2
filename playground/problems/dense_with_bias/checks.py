"""What dense_with_bias checks in code: the shapes of the kernel and the bias the learner's layer created."""

from playground.problems import ParamFinding, ParamPitfall
from playground.problems.common import listed_shapes


def check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    n_in, n_out = len(inputs["x"]), int(inputs["features"])
    kernel, bias = (n_in, n_out), (n_out,)
    shapes = [tuple(s) for s in shapes]
    if not shapes:
        return ParamFinding(
            "Your module created no nnx.Param, so nnx sees neither a kernel nor a bias.",
            "Wrap both arrays in nnx.Param(...): a plain array attribute is not a trainable "
            "parameter that nnx.state or an optimizer can find.",
        )
    listed = listed_shapes(shapes)
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


PARAM_PITFALLS = (ParamPitfall("no bias at all", lambda inputs: [(len(inputs["x"]), int(inputs["features"]))]),)


def kernel_shape(inputs: dict) -> tuple[int, ...]:
    return (len(inputs["x"]), int(inputs["features"]))
