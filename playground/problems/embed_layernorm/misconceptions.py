"""Known wrong answers to embed_layernorm, each computed by trusted code, with its hint."""

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from playground.problems import Misconception


def _parts(inputs: dict) -> tuple[jax.Array, jax.Array, jax.Array, float]:
    """The looked-up rows (tokens, features), the scale, the bias and epsilon."""
    scale = jnp.asarray(inputs["scale"], dtype=jnp.float32)
    embed = nnx.Embed(int(inputs["vocab"]), scale.shape[0], rngs=nnx.Rngs(int(inputs["seed"])))
    rows = embed(jnp.asarray(inputs["ids"]).astype(jnp.int32))
    return rows, scale, jnp.asarray(inputs["bias"], dtype=jnp.float32), float(inputs["epsilon"])


def _normalised(formula: Callable[[jax.Array, float], jax.Array]) -> Callable[[dict], np.ndarray]:
    def compute(inputs: dict) -> np.ndarray:
        rows, scale, bias, epsilon = _parts(inputs)
        return np.asarray(formula(rows, epsilon) * scale + bias)

    return compute


def _right(x: jax.Array, epsilon: float, axis: int = -1, ddof: int = 0) -> jax.Array:
    mean = x.mean(axis=axis, keepdims=True)
    return (x - mean) / jnp.sqrt(x.var(axis=axis, keepdims=True, ddof=ddof) + epsilon)


def _default_epsilon(inputs: dict) -> np.ndarray:
    rows, scale, bias, _ = _parts(inputs)
    return np.asarray(_right(rows, 1e-6) * scale + bias)


def _not_loaded(inputs: dict) -> np.ndarray:
    rows, _, _, epsilon = _parts(inputs)
    return np.asarray(_right(rows, epsilon))


def _swapped(inputs: dict) -> np.ndarray:
    rows, scale, bias, epsilon = _parts(inputs)
    return np.asarray(_right(rows, epsilon) * bias + scale)


def _whole_array(x: jax.Array, epsilon: float) -> jax.Array:
    return (x - x.mean()) / jnp.sqrt(x.var() + epsilon)


def _applied_twice(inputs: dict) -> np.ndarray:
    rows, scale, bias, epsilon = _parts(inputs)
    return np.asarray((_right(rows, epsilon) * scale + bias) * scale + bias)


def _embed_only(inputs: dict) -> np.ndarray:
    return np.asarray(_parts(inputs)[0])


def _norm_built_first(inputs: dict) -> np.ndarray:
    # The LayerNorm draws two keys (scale, bias) first, so the Embed gets the stream's third key.
    rngs = nnx.Rngs(int(inputs["seed"]))
    scale = jnp.asarray(inputs["scale"], dtype=jnp.float32)
    nnx.LayerNorm(scale.shape[0], rngs=rngs)
    rows = nnx.Embed(int(inputs["vocab"]), scale.shape[0], rngs=rngs)(jnp.asarray(inputs["ids"]).astype(jnp.int32))
    return np.asarray(_right(rows, float(inputs["epsilon"])) * scale + jnp.asarray(inputs["bias"], dtype=jnp.float32))


MISCONCEPTIONS = (
    Misconception(
        "default_epsilon",
        "Your answer uses nnx.LayerNorm's default epsilon (1e-6), not the one given: pass "
        "epsilon=float(epsilon) to nnx.LayerNorm. Epsilon is added to the variance under the "
        "square root, so it matters most when the variance is small or epsilon large.",
        _default_epsilon,
        pitfall="Leaving `epsilon` out",
    ),
    Misconception(
        "epsilon_outside_sqrt",
        "Your epsilon was added after the square root, (x - mean) / (sqrt(var) + epsilon). "
        "LayerNorm adds it to the variance: (x - mean) / sqrt(var + epsilon).",
        _normalised(lambda x, eps: (x - x.mean(-1, keepdims=True)) / (x.std(-1, keepdims=True) + eps)),
        pitfall="Adding `epsilon` after the square root",
    ),
    Misconception(
        "scale_and_bias_not_loaded",
        "Your output is the normalised rows without the given scale and bias: a new LayerNorm "
        "starts with scale 1 and bias 0. Write the given values into its parameters, "
        "norm.scale[...] = scale and norm.bias[...] = bias, before calling it.",
        _not_loaded,
        pitfall="Leaving the LayerNorm's scale and bias at their starting values",
    ),
    Misconception(
        "scale_and_bias_swapped",
        "Your scale and bias are swapped: LayerNorm multiplies the normalised row by scale and "
        "then adds bias, y = normalised * scale + bias.",
        _swapped,
        pitfall="Swapping scale and bias",
    ),
    Misconception(
        "normalised_over_tokens",
        "You normalised each feature over the tokens (axis 0). LayerNorm normalises each token's "
        "vector over its features, the last axis: every row of the answer has mean bias and "
        "a spread set by scale. nnx.LayerNorm's default reduction_axes=-1 does exactly that.",
        _normalised(lambda x, eps: _right(x, eps, axis=0)),
        pitfall="Normalising each feature over the tokens",
    ),
    Misconception(
        "normalised_over_whole_array",
        "You normalised with one mean and one variance for the whole (tokens, features) array. LayerNorm "
        "takes each token on its own: the mean and variance of that token's row, over its features (the "
        "last axis), as nnx.LayerNorm's default reduction_axes=-1 does.",
        _normalised(_whole_array),
    ),
    Misconception(
        "scale_and_bias_applied_twice",
        "Your rows were scaled and shifted twice: once by the LayerNorm, whose scale and bias already hold the "
        "given values once you write them in, and once more by your own `* scale + bias`. Do one or the other.",
        _applied_twice,
    ),
    Misconception(
        "rms_norm",
        "You divided by the root mean square without subtracting the mean first: that is "
        "RMSNorm. LayerNorm centres each row, (x - mean) / sqrt(var + epsilon), then scales and shifts.",
        _normalised(lambda x, eps: x / jnp.sqrt((x * x).mean(-1, keepdims=True) + eps)),
        pitfall="Dividing by the root mean square without subtracting the mean",
    ),
    Misconception(
        "unbiased_variance",
        "Your variance divides by features - 1 (ddof=1). LayerNorm uses the plain mean of the "
        "squared deviations, dividing by the number of features.",
        _normalised(lambda x, eps: _right(x, eps, ddof=1)),
        pitfall="The unbiased variance",
    ),
    Misconception(
        "embeddings_only",
        "You returned the looked-up embeddings without normalising them: pass them through "
        "the LayerNorm (with the given epsilon, scale and bias).",
        _embed_only,
        pitfall="Returning the embeddings before the LayerNorm",
    ),
    Misconception(
        "norm_built_first",
        "Your embedding table comes from a later key: the LayerNorm was built first from the same "
        "Rngs and drew two keys (scale, bias) before the Embed drew its own. Build nnx.Embed first, "
        "then nnx.LayerNorm.",
        _norm_built_first,
        pitfall="Building the LayerNorm before the Embed",
    ),
)
