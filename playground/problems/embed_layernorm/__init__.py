"""embed_layernorm: nnx.Embed looks up ids that arrive as floats, then nnx.LayerNorm normalises each token."""

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
from playground.problems.embed_layernorm.cases import CASES
from playground.problems.embed_layernorm.misconceptions import MISCONCEPTIONS

MAX_VOCAB = 32
MAX_TOKENS = 16
MAX_FEATURES = 16

CAST_HINT = (
    "The harness passes seed and vocab as floats: cast them with int(...), as in "
    "nnx.Rngs(int(seed)) and nnx.Embed(int(vocab), features, rngs=rngs)."
)

ERROR_HINTS = (
    ErrorHint(
        r"Input type must be an integer or unsigned integer",
        "The ids arrive as floats, and an embedding lookup needs integers: pass "
        "ids.astype(jnp.int32) to the Embed.",
        pitfall="Looking up the ids as floats",
        example="ValueError: Input type must be an integer or unsigned integer.",
    ),
    *cast_hints(CAST_HINT),
    ErrorHint(
        r"truth value of an array with more than one element is ambiguous",
        "Write the given values into the LayerNorm's parameters rather than replacing them: "
        "norm.scale[...] = scale and norm.bias[...] = bias.",
        pitfall="Replacing `norm.scale` with an array",
        example=(
            "ValueError: The truth value of an array with more than one element is ambiguous. "
            "Use a.any() or a.all()"
        ),
    ),
    ErrorHint(
        r"Incompatible types for broadcasting: input type=float32\[\d+\] and requested type"
        r"|cannot reshape array of shape \(\d+,\)",
        "The LayerNorm's size is the number of features, len(scale): build "
        "nnx.Embed(int(vocab), features, ...) and nnx.LayerNorm(features, ...) with features = scale.shape[0].",
    ),
    ErrorHint(
        r"LayerNorm\.__init__\(\) takes 2 positional arguments",
        "Pass epsilon by keyword: nnx.LayerNorm(features, epsilon=float(epsilon), rngs=rngs).",
    ),
    INIT_APPLY_HINT,
    ErrorHint(
        r"missing 1 required (positional|keyword-only) argument: 'rngs'",
        "nnx.Embed and nnx.LayerNorm both need rngs: build one nnx.Rngs(int(seed)) and pass it to each.",
    ),
    *import_hints(),
)

STARTER_HINT = (
    "This is still the starter code: replace each NotImplementedError with your code, starting "
    "with `self.embed = nnx.Embed(vocab, features, rngs=rngs)` in `__init__`."
)


def _check_params(inputs: dict, shapes: list[tuple[int, ...]]) -> ParamFinding | None:
    vocab, features = int(inputs["vocab"]), len(inputs["scale"])
    want = [(vocab, features), (features,), (features,)]
    if sorted(tuple(s) for s in shapes) == sorted(want):
        return None
    listed = ", ".join(str(tuple(s)) for s in shapes) or "none"
    return ParamFinding(
        f"Your code created parameters with shapes {listed}; it should create the table "
        f"{want[0]} and the LayerNorm's scale and bias {want[1]}.",
        "Build exactly one nnx.Embed(int(vocab), features) (its table is (vocab, features)) and one "
        "nnx.LayerNorm(features) (scale and bias, each (features,)).",
    )


def _heatmaps(inputs: dict, got: list[Any] | None, expected: list[np.ndarray]) -> list[Heatmap]:
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


_parse_fields = custom_input_parser(
    Field("seed", "whole", 0, MAX_SEED, "0"),
    Field("vocab", "whole", 1, MAX_VOCAB, "5"),
    Field("epsilon", "number", 1e-8, 10.0, "1e-5"),
    Field("ids", "numbers", 1, MAX_TOKENS, "1, 3, 1, 0"),
    Field("scale", "numbers", 1, MAX_FEATURES, "1, 2, 0.5, 1"),
    Field("bias", "numbers", 1, MAX_FEATURES, "0, 0.1, -0.1, 0.5"),
)


def _parse(texts: dict[str, str]) -> tuple[dict | None, str | None]:
    inputs, problem = _parse_fields(texts)
    if problem:
        return None, problem
    vocab = int(inputs["vocab"])
    if not all(float(i).is_integer() and 0 <= i < vocab for i in inputs["ids"]):
        return None, f"Each id must be a whole number from 0 to vocab - 1 ({vocab - 1} here), e.g. 1, 3, 1, 0."
    if len(inputs["scale"]) != len(inputs["bias"]):
        return None, "Scale and bias must hold the same number of values (one per feature), e.g. 1, 2 and 0, 0.5."
    return inputs, None


PROBLEM = folder_problem(
    __file__,
    id="embed_layernorm",
    title="Token embeddings and LayerNorm",
    order=9,
    entry_point="embed_layernorm",
    arguments=(
        Argument("seed", ArgumentKind.FLOAT),
        Argument("ids", ArgumentKind.F32_VECTOR),
        Argument("vocab", ArgumentKind.FLOAT),
        Argument("epsilon", ArgumentKind.FLOAT),
        Argument("scale", ArgumentKind.F32_VECTOR),
        Argument("bias", ArgumentKind.F32_VECTOR),
    ),
    cases=CASES,
    rtol=1e-4,
    atol=1e-5,
    misconceptions=MISCONCEPTIONS,
    error_hints=ERROR_HINTS,
    starter_hint=STARTER_HINT,
    check_params=_check_params,
    heatmaps=_heatmaps,
    parse_custom_input=_parse,
    hints=(
        "Two layers from one nnx.Rngs(int(seed)): first nnx.Embed(int(vocab), features, rngs=rngs), "
        "then nnx.LayerNorm(features, epsilon=float(epsilon), rngs=rngs), with features = len(scale).",
        "The ids arrive as floats: look them up with embed(ids.astype(jnp.int32)). A new LayerNorm "
        "has scale 1 and bias 0: write the given ones in with norm.scale[...] = scale and norm.bias[...] = bias.",
        "Return norm(embed(ids.astype(jnp.int32))): one row per token, each normalised over its "
        "features (the last axis), then multiplied by scale and shifted by bias.",
    ),
    shape_arguments=("vocab",),
    custom_fields=("seed", "vocab", "epsilon", "ids", "scale", "bias"),
)
