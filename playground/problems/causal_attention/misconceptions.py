"""Known wrong answers to causal_attention, each computed by trusted code, with its hint."""

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from playground.problems import Misconception

Answer = tuple[np.ndarray, np.ndarray]


def _projections(inputs: dict, fresh_rngs: bool = False, use_bias: bool = True) -> tuple[jax.Array, ...]:
    # x and its query, key and value projections, built as the statement says (or with a fresh
    # Rngs(seed) for each projection, or without biases: two of the mistakes below).
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    seed, model_dim, head_dim = int(inputs["seed"]), x.shape[-1], int(inputs["head_dim"])
    rngs = nnx.Rngs(seed)
    layers = [
        nnx.Linear(model_dim, head_dim, use_bias=use_bias, rngs=nnx.Rngs(seed) if fresh_rngs else rngs)
        for _ in range(3)
    ]
    return (x, *(layer(x) for layer in layers))


def _masks(length: int) -> tuple[jax.Array, jax.Array]:
    past = jnp.tril(jnp.ones((length, length), dtype=bool))
    return past, jnp.triu(jnp.ones((length, length), dtype=bool))


def _attention(
    inputs: dict,
    *,
    scale: str = "sqrt_head",
    mask: str = "past",
    axis: int = -1,
    order: str = "qkv",
    fresh_rngs: bool = False,
    use_bias: bool = True,
) -> Answer:
    """Attention with one step changed; the defaults are the right answer."""
    x, *built = _projections(inputs, fresh_rngs, use_bias)
    # order names the layer each of q, k and v comes from: "kqv" swaps query and key.
    layers = dict(zip("qkv", built, strict=True))
    q, k, v = (layers[name] for name in order)
    head_dim = q.shape[-1]
    divisor = {
        "sqrt_head": jnp.sqrt(head_dim),
        "none": 1.0,
        "sqrt_model": jnp.sqrt(x.shape[-1]),
        "head": head_dim,
        "times_sqrt_head": 1.0 / jnp.sqrt(head_dim),
    }
    scores = q @ k.T / divisor[scale]
    past, future = _masks(x.shape[0])
    if mask == "past":
        weights = jax.nn.softmax(jnp.where(past, scores, -jnp.inf), axis=axis)
    elif mask == "future":
        weights = jax.nn.softmax(jnp.where(future, scores, -jnp.inf), axis=axis)
    elif mask == "one_ahead":
        ahead = jnp.tril(jnp.ones((x.shape[0], x.shape[0]), dtype=bool), k=1)
        weights = jax.nn.softmax(jnp.where(ahead, scores, -jnp.inf), axis=axis)
    elif mask == "none":
        weights = jax.nn.softmax(scores, axis=axis)
    elif mask == "after_softmax":
        weights = jnp.where(past, jax.nn.softmax(scores, axis=axis), 0.0)
    else:  # "zero": masked scores set to 0 instead of -inf
        weights = jax.nn.softmax(jnp.where(past, scores, 0.0), axis=axis)
    return np.asarray(weights @ v), np.asarray(weights)


def _variant(**changes: object) -> Callable[[dict], Answer]:
    return lambda inputs: _attention(inputs, **changes)


ROLES = {"q": ("q", "query"), "k": ("k", "key"), "v": ("v", "value")}


def _reused_projection(order: str) -> Misconception:
    """One projection's layer used for another role too, e.g. k = self.query(x)."""
    role = next(i for i, name in enumerate(order) if name != "qkv"[i])
    wrong, right = ROLES[order[role]], ROLES["qkv"[role]]
    return Misconception(
        f"{right[0]}_from_{wrong[1]}",
        f"Your {right[0]} comes from the {wrong[1]} layer, which already gives {wrong[0]}: each of q, k and v has "
        f"its own projection, q = self.query(x), k = self.key(x), v = self.value(x).",
        _variant(order=order),
    )


MISCONCEPTIONS = (
    Misconception(
        "no_mask",
        "Your weights give every token some weight on the tokens after it: there is no causal "
        "mask. Before the softmax, set the scores of keys j > i to -inf, e.g. "
        "jnp.where(jnp.tril(jnp.ones((T, T), dtype=bool)), scores, -jnp.inf).",
        _variant(mask="none"),
        pitfall="No mask at all",
    ),
    Misconception(
        "mask_flipped",
        "Your mask keeps the future and hides the past: each query attends to itself and the "
        "tokens AFTER it. The allowed positions are the lower triangle (key j <= query i): use "
        "jnp.tril, not jnp.triu, for the mask of positions to keep.",
        _variant(mask="future"),
        pitfall="the mask the wrong way round",
    ),
    Misconception(
        "mask_one_ahead",
        "Your mask lets each query see one token ahead: the diagonal above the main one is kept too "
        "(jnp.tril(..., k=1), or j <= i + 1). Query i may attend to keys j <= i only: jnp.tril with the "
        "default k=0.",
        _variant(mask="one_ahead"),
    ),
    *(_reused_projection(order) for order in ("qqv", "qkq", "qkk", "kkv", "qvv", "vkv")),
    Misconception(
        "no_scale",
        "Your scores are not scaled: divide q @ k.T by sqrt(head_dim) before the softmax, so the "
        "softmax does not saturate as head_dim grows.",
        _variant(scale="none"),
        pitfall="No scale",
    ),
    Misconception(
        "scale_multiplied",
        "Your scores are multiplied by sqrt(head_dim): the scale divides, q @ k.T / jnp.sqrt(head_dim), "
        "so that the scores do not grow with the length of the vectors.",
        _variant(scale="times_sqrt_head"),
    ),
    Misconception(
        "scale_model_dim",
        "Your scores are divided by the square root of the input's width (model_dim). The scale "
        "is 1 / sqrt(head_dim): the length of the query and key vectors being multiplied.",
        _variant(scale="sqrt_model"),
        pitfall="`sqrt(model_dim)`",
    ),
    Misconception(
        "scale_head_dim",
        "Your scores are divided by head_dim itself. Scaled dot-product attention divides by its "
        "square root: q @ k.T / jnp.sqrt(head_dim).",
        _variant(scale="head"),
        pitfall="`head_dim` instead of `sqrt(head_dim)`",
    ),
    Misconception(
        "softmax_over_queries",
        "Your softmax runs down the columns (axis 0), so each KEY's weights sum to 1. Each query's "
        "row must sum to 1: jax.nn.softmax(scores, axis=-1).",
        _variant(axis=0),
        pitfall="The softmax over `axis=0`",
    ),
    Misconception(
        "mask_after_softmax",
        "You masked after the softmax, so the future's share was taken out of rows that had "
        "already been normalised: your rows sum to less than 1. Mask the scores with -inf "
        "first, then take the softmax.",
        _variant(mask="after_softmax"),
        pitfall="Masking after the softmax",
    ),
    Misconception(
        "mask_with_zero",
        "You set the hidden scores to 0, not -inf: exp(0) = 1, so the future still gets weight. "
        "Use jnp.where(mask, scores, -jnp.inf) (a very large negative number works too).",
        _variant(mask="zero"),
        pitfall="setting hidden scores to 0 instead of `-inf`",
    ),
    Misconception(
        "query_key_swapped",
        "Your query and key projections are swapped: build self.query first, then self.key, then "
        "self.value from the same Rngs (each takes the next keys from the stream), and compute "
        "scores = q @ k.T with q from the query layer.",
        _variant(order="kqv"),
        pitfall="Building the projections in another order",
    ),
    Misconception(
        "key_value_swapped",
        "Your key and value projections are swapped: build self.query, then self.key, then self.value from "
        "the same Rngs (each takes the next keys from the stream), with k = self.key(x) and v = self.value(x).",
        _variant(order="qvk"),
    ),
    Misconception(
        "fresh_rngs_per_projection",
        "Your three projections have the same weights: each was built with its own "
        "nnx.Rngs(seed), so each drew the same keys. Build one rngs = nnx.Rngs(int(seed)) and "
        "pass it to all three nnx.Linear layers, which then draw different keys.",
        _variant(fresh_rngs=True),
        pitfall="giving each its own `nnx.Rngs(seed)`",
    ),
    Misconception(
        "no_bias_keys",
        "Your projections were built with use_bias=False. The biases start at zero, but "
        "nnx.Linear draws a key for its bias only when it has one: without it, the key and "
        "value layers take other keys from the stream and get other weights. Keep the default "
        "use_bias=True.",
        _variant(use_bias=False),
        pitfall="`use_bias=False`",
    ),
)
