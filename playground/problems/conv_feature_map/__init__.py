"""conv_feature_map: one nnx.Conv over an NHWC image: kernel shape, SAME or VALID padding, strides."""

from typing import Any

import numpy as np

from playground.problems import (
    Argument,
    ArgumentKind,
    ErrorHint,
    Heatmap,
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
from playground.problems.conv_feature_map.cases import CASES
from playground.problems.conv_feature_map.misconceptions import MISCONCEPTIONS

MAX_SIDE = 16
MAX_FEATURES = 4
MAX_KERNEL = 5
MAX_STRIDE = 3
MAPS_DRAWN = 4

CAST_HINT = (
    "The harness passes seed, features, kernel_size and stride as floats: cast them with int(...), "
    "as in nnx.Rngs(int(seed)), kernel_size=(k, k) and strides=(s, s) with k = int(kernel_size)."
)

CHANNEL_HINT = (
    "nnx.Conv reads its input as NHWC: the last axis holds the channels, and there must be "
    "in_features of them. Give the (height, width) image the shape (1, height, width, 1), e.g. "
    "image[None, :, :, None] or image.reshape(1, h, w, 1), and build the layer with in_features=1."
)

ERROR_HINTS = (
    *cast_hints(CAST_HINT),
    ErrorHint(r"'numpy\.float64' object cannot be interpreted as an integer", CAST_HINT),
    ErrorHint(
        r"lhs feature dimension size divided by feature_group_count must equal the rhs input feature dimension size"
        r"|operands could not be broadcast together with shapes \(0,\)",
        CHANNEL_HINT,
        pitfall="Feeding the `(height, width)` image as it is",
        example=(
            "ValueError: conv_general_dilated lhs feature dimension size divided by feature_group_count "
            "must equal the rhs input feature dimension size, but 5 // 1 != 1."
        ),
    ),
    ErrorHint(
        r"Invalid padding format",
        "padding takes a string: padding='SAME' if same else 'VALID' (same arrives as 1.0 or 0.0).",
    ),
    INIT_APPLY_HINT,
    ErrorHint(
        r"missing 1 required (positional|keyword-only) argument: 'rngs'",
        "nnx.Conv needs keys for its kernel: pass rngs=nnx.Rngs(int(seed)).",
    ),
    ErrorHint(
        r"missing 1 required positional argument: '(out_features|kernel_size)'",
        "nnx.Conv takes in_features, out_features and kernel_size: "
        "nnx.Conv(1, int(features), kernel_size=(k, k), ...).",
    ),
    *import_hints(),
)

STARTER_HINT = (
    "This is still the starter code: replace the NotImplementedError with your code, starting "
    "with `conv = nnx.Conv(1, int(features), kernel_size=(k, k), ...)`."
)


def _sides(inputs: dict) -> tuple[int, int, int, int, int]:
    image = inputs["image"]
    return len(image), len(image[0]), int(inputs["features"]), int(inputs["kernel_size"]), int(inputs["stride"])


def _check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    _, _, features, k, _ = _sides(inputs)
    kernel, bias = (k, k, 1, features), (features,)
    shapes = [tuple(s) for s in shapes]
    if sorted(shapes) == sorted([kernel, bias]):
        return None
    listed = ", ".join(str(s) for s in shapes) or "none"
    return ParamFinding(
        f"Your layer created parameters with shapes {listed}; nnx.Conv's are the kernel {kernel} and the bias {bias}.",
        "Build exactly one nnx.Conv(1, int(features), kernel_size=(k, k), ...): its kernel has shape "
        "(k, k, in_features, out_features) and its bias (out_features,).",
    )


def _heatmaps(inputs: dict, got: list[Any] | None, expected: list[np.ndarray]) -> list[Heatmap]:
    maps = [
        Heatmap(
            "input image",
            None,
            inputs["image"],
            "The image is the same for you and the reference: one channel, height by width.",
        )
    ]
    want = expected[0]
    mine = got[0] if got is not None else None
    usable = mine is not None and mine.shape == want.shape
    note = None if usable else "Your answer is not a (out_height, out_width, features) array of the expected shape."
    for channel in range(min(want.shape[-1], MAPS_DRAWN)):
        maps.append(
            Heatmap(
                f"feature map {channel}",
                mine[:, :, channel].tolist() if usable else None,
                want[:, :, channel].tolist(),
                note,
            )
        )
    return maps


def _parse(texts: dict[str, str]) -> tuple[dict | None, str | None]:
    inputs, problem = _parse_fields(texts)
    if problem:
        return None, problem
    height, width, _, k, _ = _sides(inputs)
    if k > min(height, width):
        return None, f"Kernel size must be at most the image's height and width ({min(height, width)} here)."
    return inputs, None


_parse_fields = custom_input_parser(
    Field("seed", "whole", 0, MAX_SEED, "0"),
    Field("features", "whole", 1, MAX_FEATURES, "2"),
    Field("kernel_size", "whole", 1, MAX_KERNEL, "3"),
    Field("stride", "whole", 1, MAX_STRIDE, "1"),
    Field("same", "whole", 0, 1, "1"),
    Field("image", "matrix", 1, MAX_SIDE, "1, 2, 3; 4, 5, 6; 7, 8, 9", columns=MAX_SIDE),
)


PROBLEM = folder_problem(
    __file__,
    id="conv_feature_map",
    title="Feature maps with nnx.Conv: padding and strides",
    order=8,
    entry_point="conv_feature_map",
    arguments=(
        Argument("seed", ArgumentKind.FLOAT),
        Argument("image", ArgumentKind.F32_MATRIX),
        Argument("features", ArgumentKind.FLOAT),
        Argument("kernel_size", ArgumentKind.FLOAT),
        Argument("stride", ArgumentKind.FLOAT),
        Argument("same", ArgumentKind.FLOAT),
    ),
    cases=CASES,
    rtol=1e-5,
    atol=1e-5,
    misconceptions=MISCONCEPTIONS,
    error_hints=ERROR_HINTS,
    starter_hint=STARTER_HINT,
    check_params=_check_params,
    heatmaps=_heatmaps,
    parse_custom_input=_parse,
    hints=(
        "nnx.Conv reads NHWC input: a batch axis, height, width, then channels. Your image has "
        "only height and width, so add a batch axis in front and a channel axis at the end.",
        "Build the layer as nnx.Conv(1, int(features), kernel_size=(k, k), strides=(s, s), "
        "padding='SAME' if same else 'VALID', rngs=nnx.Rngs(int(seed))), with k and s cast to int.",
        "y = conv(image[None, :, :, None]) has shape (1, out_height, out_width, features); return y[0].",
    ),
    shape_arguments=("features", "kernel_size", "stride", "same"),
    custom_fields=("seed", "features", "kernel_size", "stride", "same", "image"),
)
