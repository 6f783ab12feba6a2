"""Random valid inputs for each problem, inside the ranges its statement gives, as the harness passes them.

`random_inputs(problem_id, rng, count)` returns `count` input dicts (floats and nested lists of
floats that round-trip through float32). Sizes are kept small: these inputs look for answers that
differ from the reference, which small inputs find as well as large ones, and every new shape costs
an eager compile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from playground.problems.common import MAX_SEED

Sampler = Callable[[np.random.Generator], dict[str, Any]]


def random_inputs(problem_id: str, rng: np.random.Generator, count: int) -> list[dict[str, Any]]:
    """`count` random inputs for the problem; KeyError for a problem without a sampler."""
    sampler = SAMPLERS[problem_id]
    return [sampler(rng) for _ in range(count)]


def _f32(values: Any) -> Any:
    return np.asarray(values, dtype=np.float32).astype(np.float64).tolist()


def _seed(rng: np.random.Generator) -> float:
    return float(rng.choice([0, 1, MAX_SEED, int(rng.integers(0, MAX_SEED))]))


def _whole(rng: np.random.Generator, low: int, high: int) -> int:
    return int(rng.integers(low, high + 1))


def _vector(rng: np.random.Generator, n: int, spread: float = 2.0) -> list[float]:
    return _f32(rng.normal(0.0, spread, n))


def _matrix(rng: np.random.Generator, rows: int, cols: int, spread: float = 2.0) -> list[list[float]]:
    return _f32(rng.normal(0.0, spread, (rows, cols)))


def _dense(rng: np.random.Generator) -> dict[str, Any]:
    return {"seed": _seed(rng), "x": _vector(rng, _whole(rng, 1, 6)), "features": float(_whole(rng, 1, 6))}


def _mlp(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "seed": _seed(rng),
        "x": _vector(rng, _whole(rng, 1, 5)),
        "hidden": float(_whole(rng, 1, 6)),
        "features": float(_whole(rng, 1, 5)),
    }


def _dropout(rng: np.random.Generator) -> dict[str, Any]:
    return {"seed": _seed(rng), "x": _vector(rng, _whole(rng, 2, 16)), "rate": _f32(rng.choice([0.0, rng.uniform(0.05, 0.95)]))}


def _batchnorm(rng: np.random.Generator) -> dict[str, Any]:
    rows, cols = _whole(rng, 1, 6), _whole(rng, 1, 5)
    batch = rng.normal(0.0, 1.0, (rows, cols)) * rng.uniform(0.5, 3.0, cols) + rng.uniform(-2.0, 2.0, cols)
    return {"batch": _f32(batch), "momentum": _f32(rng.uniform(0.0, 1.0)), "calls": float(_whole(rng, 0, 4))}


def _roundtrip(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "seed": _seed(rng),
        "x": _vector(rng, _whole(rng, 1, 5)),
        "features": float(_whole(rng, 1, 4)),
        "shift": _f32(rng.uniform(-5.0, 5.0)),
    }


def _training(rng: np.random.Generator) -> dict[str, Any]:
    rows, cols = _whole(rng, 1, 5), _whole(rng, 1, 3)
    return {
        "seed": _seed(rng),
        "x": _matrix(rng, rows, cols, 1.0),
        "y": _vector(rng, rows, 1.0),
        "learning_rate": _f32(rng.uniform(0.01, 0.5)),
        "steps": float(_whole(rng, 0, 3)),
    }


def _conv(rng: np.random.Generator) -> dict[str, Any]:
    height, width = _whole(rng, 1, 7), _whole(rng, 1, 7)
    return {
        "seed": _seed(rng),
        "image": _matrix(rng, height, width),
        "features": float(_whole(rng, 1, 3)),
        "kernel_size": float(_whole(rng, 1, min(height, width, 5))),
        "stride": float(_whole(rng, 1, 3)),
        "same": float(_whole(rng, 0, 1)),
    }


def _embed(rng: np.random.Generator) -> dict[str, Any]:
    vocab, features = _whole(rng, 1, 8), _whole(rng, 1, 5)
    return {
        "seed": _seed(rng),
        "ids": [float(i) for i in rng.integers(0, vocab, _whole(rng, 1, 6))],
        "vocab": float(vocab),
        "epsilon": _f32(10.0 ** rng.uniform(-6.0, 0.3)),
        "scale": _vector(rng, features, 1.0),
        "bias": _vector(rng, features, 1.0),
    }


def _attention(rng: np.random.Generator) -> dict[str, Any]:
    return {"seed": _seed(rng), "x": _matrix(rng, _whole(rng, 1, 6), _whole(rng, 1, 4)), "head_dim": float(_whole(rng, 1, 4))}


def _counter(rng: np.random.Generator) -> dict[str, Any]:
    return {"seed": _seed(rng), "x": _vector(rng, _whole(rng, 1, 4)), "calls": float(_whole(rng, 1, 4))}


def _ensemble(rng: np.random.Generator) -> dict[str, Any]:
    return {"seed": _seed(rng), "x": _vector(rng, _whole(rng, 1, 4)), "members": float(_whole(rng, 1, 5))}


SAMPLERS: dict[str, Sampler] = {
    "module_basics_forward": _dense,
    "dense_with_bias": _dense,
    "mlp_relu": _mlp,
    "dropout_modes": _dropout,
    "batchnorm_stats": _batchnorm,
    "state_roundtrip": _roundtrip,
    "training_step": _training,
    "conv_feature_map": _conv,
    "embed_layernorm": _embed,
    "causal_attention": _attention,
    "custom_variable": _counter,
    "vmap_ensemble": _ensemble,
}
