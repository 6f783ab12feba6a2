"""Coverage audit: every feature a statement names is exercised by at least one hidden test.

Each feature quotes words of its problem's statement (so a feature cannot be made up, and a
statement that drops it drops the feature) and says, as a predicate on a test's inputs, which
tests exercise it. A feature no hidden test exercises fails here, the way a pitfall without a
detector fails test_every_pitfall_has_a_detector.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from playground.problems import all_problems

MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class Feature:
    """Something the statement promises to handle, and which inputs exercise it."""

    name: str
    statement_words: str
    exercised: Callable[[dict[str, Any]], bool]


def _array(inputs: dict, name: str) -> np.ndarray:
    return np.asarray(inputs[name], dtype=np.float64)


def _negative(name: str) -> Callable[[dict], bool]:
    return lambda i: bool(np.any(_array(i, name) < 0))


def _some_zero(name: str) -> Callable[[dict], bool]:
    return lambda i: bool(np.any(_array(i, name) == 0))


def _all_zero(name: str) -> Callable[[dict], bool]:
    return lambda i: not np.any(_array(i, name))


def _max_seed(i: dict) -> bool:
    return i["seed"] == MAX_SEED


def _conv_sides(i: dict) -> tuple[int, int, int, int, bool]:
    image = _array(i, "image")
    return image.shape[0], image.shape[1], int(i["kernel_size"]), int(i["stride"]), bool(i["same"])


def _odd_same_padding_split(i: dict) -> bool:
    # 'SAME' at stride > 1 where the padding before the image differs from stride 1's (the extra
    # row of an odd padding goes at the end): a stride-1 convolution subsampled then disagrees.
    height, width, k, s, same = _conv_sides(i)
    if not same or s == 1:
        return False
    pads = [max((-(-n // s) - 1) * s + k - n, 0) for n in (height, width)]
    return any(pad // 2 != (k - 1) // 2 for pad in pads)


DENSE_FEATURES = [
    Feature("one input value", "1 to 64 values", lambda i: len(i["x"]) == 1),
    Feature("the largest seed", "0 to 2147483647", _max_seed),
    Feature("negative inputs", "a 1-D `float32` jax array", _negative("x")),
    Feature("an all-zero input", "a 1-D `float32` jax array", _all_zero("x")),
    Feature("one feature", "a float holding a whole number, 1 to 64", lambda i: i["features"] == 1),
]

FEATURES: dict[str, list[Feature]] = {
    "module_basics_forward": DENSE_FEATURES + [
        Feature("64 features", "a float holding a whole number, 1 to 64", lambda i: i["features"] == 64),
    ],
    "dense_with_bias": [f for f in DENSE_FEATURES if f.name != "one feature"] + [
        Feature("a square kernel", "`(in_features, features)`", lambda i: len(i["x"]) == i["features"]),
        Feature("more features than inputs", "`(in_features, features)`", lambda i: i["features"] > len(i["x"])),
        Feature("fewer features than inputs", "`(in_features, features)`", lambda i: i["features"] < len(i["x"])),
    ],
    "mlp_relu": [
        Feature("the largest seed", "0 to 2147483647", _max_seed),
        Feature("negative inputs only", "a 1-D `float32` jax array", lambda i: bool(np.all(_array(i, "x") < 0))),
        Feature("zeros among the inputs", "a 1-D `float32` jax array", _some_zero("x")),
        Feature("hidden wider than features", "`(hidden, features)`", lambda i: i["hidden"] > i["features"]),
        Feature("hidden narrower than features", "`(hidden, features)`", lambda i: i["hidden"] < i["features"]),
    ],
    "dropout_modes": [
        Feature("rate 0", "a float from 0 up to (not including) 1", lambda i: i["rate"] == 0.0),
        Feature("a high rate", "a float from 0 up to (not including) 1", lambda i: i["rate"] >= 0.75),
        Feature("the largest seed", "0 to 2147483647", _max_seed),
        Feature("zeros in x", "a 1-D `float32` jax array", _some_zero("x")),
        Feature("negative values", "a 1-D `float32` jax array", _negative("x")),
    ],
    "batchnorm_stats": [
        Feature("zero calls", "0 to 20", lambda i: i["calls"] == 0),
        Feature("several calls", "0 to 20", lambda i: i["calls"] >= 2),
        Feature("a batch of one", "1 to 16 of each", lambda i: len(i["batch"]) == 1),
        Feature("a momentum near 1", "a float from 0 to 1", lambda i: i["momentum"] >= 0.95),
        Feature("a constant feature", "F columns (features)", lambda i: bool(np.any(np.ptp(_array(i, "batch"), axis=0) == 0))),
    ],
    "state_roundtrip": [
        Feature("a zero shift", "a float, -100 to 100", lambda i: i["shift"] == 0.0),
        Feature("a negative shift", "a float, -100 to 100", lambda i: i["shift"] < 0),
        Feature("one input and one feature", "1 to 16 values", lambda i: len(i["x"]) == 1 and i["features"] == 1),
        Feature("the largest seed", "0 to 2147483647", _max_seed),
    ],
    "training_step": [
        Feature("no update", "0 means no update", lambda i: i["steps"] == 0),
        Feature("one update", "cast with `int(steps)`", lambda i: i["steps"] == 1),
        Feature("several updates", "cast with `int(steps)`", lambda i: i["steps"] >= 2),
        Feature("an all-zero x", "the examples", _all_zero("x")),
        Feature("the largest seed", "0 to 2147483647", _max_seed),
    ],
    "conv_feature_map": [
        Feature("'SAME' at stride 1", "`'SAME'` padding", lambda i: i["same"] == 1 and i["stride"] == 1),
        Feature("'VALID' at stride 1", "`'VALID'` padding", lambda i: i["same"] == 0 and i["stride"] == 1),
        Feature("'SAME' with a stride", "moving `stride` pixels at a time", lambda i: i["same"] == 1 and i["stride"] > 1),
        Feature("'VALID' with a stride", "moving `stride` pixels at a time", lambda i: i["same"] == 0 and i["stride"] > 1),
        Feature("odd 'SAME' padding at a stride", "the extra row or column goes at the end", _odd_same_padding_split),
        Feature("an even kernel", "square kernel", lambda i: int(i["kernel_size"]) % 2 == 0),
        Feature("a non-square image", "`(height, width)`", lambda i: len(i["image"]) != len(i["image"][0])),
        Feature("several feature maps", "the number of feature maps", lambda i: i["features"] > 1),
        Feature("negative pixels", "one channel", _negative("image")),
        Feature("the largest seed", "0 to 2147483647", _max_seed),
    ],
    "embed_layernorm": [
        Feature("one token", "1 to 16 whole numbers", lambda i: len(i["ids"]) == 1),
        Feature("a repeated id", "1 to 16 whole numbers", lambda i: len(set(i["ids"])) < len(i["ids"])),
        Feature("the last id of the table", "0 to `vocab - 1`", lambda i: max(i["ids"]) == i["vocab"] - 1),
        Feature("the default epsilon", "nnx.LayerNorm's default is 1e-6", lambda i: abs(i["epsilon"] - 1e-6) < 1e-12),
        Feature("a large epsilon", "a float, 1e-8 to 10", lambda i: i["epsilon"] >= 1.0),
        Feature("a negative scale", "`features = len(scale)`", _negative("scale")),
        Feature("a non-zero bias", "as long as `scale`", lambda i: bool(np.any(_array(i, "bias")))),
    ],
    "causal_attention": [
        Feature("one token", "1 to 16 of them", lambda i: len(i["x"]) == 1),
        Feature("head_dim above model_dim", "a float holding a whole number, 1 to 16", lambda i: i["head_dim"] > len(i["x"][0])),
        Feature("head_dim below model_dim", "a float holding a whole number, 1 to 16", lambda i: i["head_dim"] < len(i["x"][0])),
        Feature("a repeated token", "T tokens", lambda i: len({tuple(r) for r in i["x"]}) < len(i["x"])),
        Feature("large values", "a 2-D `float32` jax array", lambda i: bool(np.max(np.abs(_array(i, "x"))) >= 5)),
        Feature("the largest seed", "0 to 2147483647", _max_seed),
    ],
    "custom_variable": [
        Feature("several calls", "1 to 20", lambda i: i["calls"] >= 3),
        Feature("few calls", "1 to 20", lambda i: i["calls"] <= 2),
        Feature("the largest seed", "0 to 2147483647", _max_seed),
        Feature("large values", "1 to 16 values", lambda i: bool(np.max(np.abs(_array(i, "x"))) >= 100)),
    ],
    "vmap_ensemble": [
        Feature("several members", "1 to 8", lambda i: i["members"] >= 3),
        Feature("two members", "1 to 8", lambda i: i["members"] == 2),
        Feature("the largest seed", "0 to 2147483647", _max_seed),
        Feature("large values", "1 to 16 values", lambda i: bool(np.max(np.abs(_array(i, "x"))) >= 100)),
    ],
}

PROBLEMS = list(all_problems().values())
IDS = [p.id for p in PROBLEMS]


def test_every_problem_is_audited():
    assert set(FEATURES) == set(IDS)


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_each_feature_is_named_by_the_statement(problem):
    text = " ".join(problem.statement.split())
    for feature in FEATURES[problem.id]:
        assert " ".join(feature.statement_words.split()) in text, f"{feature.name}: {feature.statement_words!r}"


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_each_feature_has_a_hidden_test(problem):
    hidden = [c for c in problem.cases if c.hidden]
    missing = [f.name for f in FEATURES[problem.id] if not any(f.exercised(c.inputs) for c in hidden)]
    assert not missing, f"no hidden test exercises: {', '.join(missing)}"


def test_the_audit_can_fail():
    """A feature nothing exercises is reported (the audit is not vacuous)."""
    problem = PROBLEMS[0]
    never = Feature("never", "", lambda _: False)
    assert not any(never.exercised(c.inputs) for c in problem.cases)
    assert _odd_same_padding_split({"image": [[0.0] * 4] * 4, "kernel_size": 3.0, "stride": 2.0, "same": 1.0})
    assert not _odd_same_padding_split({"image": [[0.0] * 5] * 5, "kernel_size": 3.0, "stride": 2.0, "same": 1.0})
    # The hidden tests before odd_kernel_stride_2_same: 6x5, kernel 2, stride 2, SAME pads alike.
    assert not _odd_same_padding_split({"image": [[0.0] * 5] * 6, "kernel_size": 2.0, "stride": 2.0, "same": 1.0})
