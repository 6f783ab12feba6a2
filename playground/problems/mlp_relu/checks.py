"""What mlp_relu checks in code: the shapes and order of the two layers' parameters."""

from playground.problems import ParamFinding
from playground.problems.common import listed_shapes


def _expected_shapes(inputs: dict) -> list[tuple[int, ...]]:
    n_in, n_hidden, n_out = len(inputs["x"]), int(inputs["hidden"]), int(inputs["features"])
    return [(n_in, n_hidden), (n_hidden,), (n_hidden, n_out), (n_out,)]


def check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    want = _expected_shapes(inputs)
    got = [tuple(s) for s in shapes]
    wanted = listed_shapes(want)
    if got == want:
        return None
    if not got:
        return ParamFinding(
            "Your module created no nnx.Param, so nnx sees no weights at all.",
            "Build the two layers with nnx.Linear inside __init__ and store them as attributes "
            "(self.linear1, self.linear2): each creates its kernel and bias as nnx.Params.",
        )
    listed = listed_shapes(got)
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


def kernel_shape(inputs: dict) -> tuple[int, ...]:
    return (len(inputs["x"]), int(inputs["hidden"]))
