"""What embed_layernorm checks in code: the table and LayerNorm parameters, the output picture, the ids and sizes of a custom input."""

from typing import Any

import numpy as np

from playground.problems import Heatmap, ParamFinding
from playground.problems.common import listed_shapes


def check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    vocab, features = int(inputs["vocab"]), len(inputs["scale"])
    want = [(vocab, features), (features,), (features,)]
    if sorted(tuple(s) for s in shapes) == sorted(want):
        return None
    listed = listed_shapes(shapes)
    return ParamFinding(
        f"Your code created parameters with shapes {listed}; it should create the table "
        f"{want[0]} and the LayerNorm's scale and bias {want[1]}.",
        "Build exactly one nnx.Embed(int(vocab), features) (its table is (vocab, features)) and one "
        "nnx.LayerNorm(features) (scale and bias, each (features,)).",
    )


def heatmaps(inputs: dict, got: list[Any] | None, expected: list[np.ndarray]) -> list[Heatmap]:
    mine = got[0] if got is not None else None
    usable = mine is not None and mine.shape == expected[0].shape
    return [
        Heatmap(
            "output (row = token, column = feature)",
            mine.tolist() if usable else None,
            expected[0].tolist(),
            None if usable else "Your answer is not a (tokens, features) array of the expected shape.",
        )
    ]


def check_custom_input(inputs: dict) -> str | None:
    """What the fields alone cannot tell: ids inside the vocabulary, one bias per scale."""
    vocab = int(inputs["vocab"])
    if not all(float(i).is_integer() and 0 <= i < vocab for i in inputs["ids"]):
        return f"Each id must be a whole number from 0 to vocab - 1 ({vocab - 1} here), e.g. 1, 3, 1, 0."
    if len(inputs["scale"]) != len(inputs["bias"]):
        return "Scale and bias must hold the same number of values (one per feature), e.g. 1, 2 and 0, 0.5."
    return None
