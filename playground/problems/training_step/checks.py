"""What training_step checks in code: the model's parameters, and one row of x per target in a custom input."""

from playground.problems import ParamFinding
from playground.problems.common import listed_shapes


def check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    features = len(inputs["x"][0])
    expected = [(features, 1), (1,)]
    if [tuple(s) for s in shapes[:2]] == expected:
        return None
    return ParamFinding(
        f"Your code created parameters of shapes {listed_shapes(shapes[:2])}; nnx.Linear({features}, 1) has a kernel "
        f"{(features, 1)} and a bias (1,).",
        "Build the model as nnx.Linear(x.shape[-1], 1, rngs=nnx.Rngs(int(seed))): one output, with its default bias.",
    )


def kernel_shape(inputs: dict) -> tuple[int, ...]:
    return (len(inputs["x"][0]), 1)


def check_custom_input(inputs: dict) -> str | None:
    """The one rule the field parser cannot know: one row of x per value of y."""
    if len(inputs["x"]) != len(inputs["y"]):
        return (
            f"x has {len(inputs['x'])} rows but y has {len(inputs['y'])} values: give one row of x "
            "(one example) per target, e.g. x = 1, 2; 0.5, -1; 0, 1 and y = 1, -1, 0.5."
        )
    return None
