"""What conv_feature_map checks in code: the layer's parameters, the pictures of a test, the custom input's sizes."""

from typing import Any

import numpy as np

from playground.problems import Heatmap, ParamFinding
from playground.problems.common import listed_shapes

MAPS_DRAWN = 4


def _sides(inputs: dict) -> tuple[int, int, int, int, int]:
    image = inputs["image"]
    return len(image), len(image[0]), int(inputs["features"]), int(inputs["kernel_size"]), int(inputs["stride"])


def check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    _, _, features, k, _ = _sides(inputs)
    kernel, bias = (k, k, 1, features), (features,)
    shapes = [tuple(s) for s in shapes]
    if sorted(shapes) == sorted([kernel, bias]):
        return None
    listed = listed_shapes(shapes)
    return ParamFinding(
        f"Your layer created parameters with shapes {listed}; nnx.Conv's are the kernel {kernel} and the bias {bias}.",
        "Build exactly one nnx.Conv(1, int(features), kernel_size=(k, k), ...): its kernel has shape "
        "(k, k, in_features, out_features) and its bias (out_features,).",
    )


def heatmaps(inputs: dict, got: list[Any] | None, expected: list[np.ndarray]) -> list[Heatmap]:
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


def check_custom_input(inputs: dict) -> str | None:
    """What the fields alone cannot tell: a kernel no larger than the image."""
    height, width, _, k, _ = _sides(inputs)
    if k > min(height, width):
        return f"Kernel size must be at most the image's height and width ({min(height, width)} here)."
    return None
