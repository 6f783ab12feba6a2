"""Known wrong answers to dropout_modes, each computed by trusted code, with its hint."""

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from playground.problems import Misconception


def _inputs(inputs: dict) -> tuple[jax.Array, int, float]:
    return jnp.asarray(inputs["x"], dtype=jnp.float32), int(inputs["seed"]), float(inputs["rate"])


def _train(x: jax.Array, seed: int, rate: float) -> jax.Array:
    # The right training-mode output: the layer forks its own stream from the `dropout` stream.
    return nnx.Dropout(rate, rngs=nnx.Rngs(dropout=seed))(x)


def _kept(x: jax.Array, seed: int, rate: float) -> jax.Array:
    # Where the right mask keeps a value (a zero input reads as dropped, which changes nothing).
    return _train(x, seed, rate) != 0


def _first_key(seed: int) -> jax.Array:
    # The first key of a fresh `dropout` stream: what rngs.dropout() returns when drawn by hand.
    return nnx.Rngs(dropout=seed).dropout()


def _no_rescale(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    x, seed, rate = _inputs(inputs)
    return np.asarray(jnp.where(_kept(x, seed, rate), x, 0.0)), np.asarray(x)


def _no_rescale_own_key(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    # Written by hand: jax.random.bernoulli(rngs.dropout(), 1 - rate, x.shape), kept values not rescaled.
    x, seed, rate = _inputs(inputs)
    kept = jax.random.bernoulli(_first_key(seed), 1.0 - rate, x.shape)
    return np.asarray(jnp.where(kept, x, 0.0)), np.asarray(x)


def _classic(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    x, seed, rate = _inputs(inputs)
    return np.asarray(jnp.where(_kept(x, seed, rate), x, 0.0)), np.asarray(x * (1.0 - rate))


def _eval_dropped(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    # model.eval() forgotten: the second call is still in training mode and draws a new mask.
    x, seed, rate = _inputs(inputs)
    layer = nnx.Dropout(rate, rngs=nnx.Rngs(dropout=seed))
    return np.asarray(layer(x)), np.asarray(layer(x))


def _trained_twice(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    # Two training-mode calls (e.g. one to look at the output, one to return): the second mask.
    x, seed, rate = _inputs(inputs)
    layer = nnx.Dropout(rate, rngs=nnx.Rngs(dropout=seed))
    layer(x)
    return np.asarray(layer(x)), np.asarray(x)


def _eval_is_train(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    x, seed, rate = _inputs(inputs)
    train = np.asarray(_train(x, seed, rate))
    return train, train


def _call_time_rngs(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    # A fresh Rngs (or a key drawn from it) given to the call: the first key of the stream, not forked.
    x, seed, rate = _inputs(inputs)
    return np.asarray(nnx.Dropout(rate)(x, rngs=nnx.Rngs(dropout=seed))), np.asarray(x)


def _rngs_given_twice(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    # The same Rngs passed to the constructor (which forks it) and again to the call.
    x, seed, rate = _inputs(inputs)
    rngs = nnx.Rngs(dropout=seed)
    layer = nnx.Dropout(rate, rngs=rngs)
    return np.asarray(layer(x, rngs=rngs)), np.asarray(x)


def _raw_key(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    x, seed, rate = _inputs(inputs)
    return np.asarray(nnx.Dropout(rate)(x, rngs=jax.random.key(seed))), np.asarray(x)


def _rate_as_keep(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    x, seed, rate = _inputs(inputs)
    return np.asarray(nnx.Dropout(1.0 - rate, rngs=nnx.Rngs(dropout=seed))(x)), np.asarray(x)


def _rate_as_keep_own_key(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    # Written by hand: jax.random.bernoulli(rngs.dropout(), rate, x.shape), kept values divided by rate.
    x, seed, rate = _inputs(inputs)
    kept = jax.random.bernoulli(_first_key(seed), rate, x.shape)
    return np.asarray(jnp.where(kept, x / rate, 0.0)), np.asarray(x)


def _fixed_seed(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    x, _, rate = _inputs(inputs)
    return np.asarray(_train(x, 0, rate)), np.asarray(x)


NO_RESCALE_HINT = (
    "Your kept values are not rescaled. Inverted dropout divides every kept value by (1 - rate) "
    "in training, so the expected output stays the same as in evaluation: let nnx.Dropout do it, "
    "or divide by (1 - rate) yourself."
)
RATE_AS_KEEP_HINT = (
    "You treated rate as the probability of keeping a value. In nnx.Dropout(rate), rate is the "
    "probability of DROPPING one: pass rate itself, and kept values are divided by 1 - rate."
)

MISCONCEPTIONS = (
    Misconception("no_rescale", NO_RESCALE_HINT, _no_rescale, pitfall="Forgetting the division by `1 - rate`"),
    Misconception("no_rescale_own_key", NO_RESCALE_HINT, _no_rescale_own_key, pitfall="Forgetting the division by `1 - rate`"),
    Misconception(
        "classic_dropout",
        "You wrote the old, non-inverted dropout: kept values unscaled in training and the "
        "evaluation output multiplied by (1 - rate). nnx.Dropout scales at training time "
        "instead (kept values divided by 1 - rate) and returns x unchanged in evaluation.",
        _classic,
    ),
    Misconception(
        "eval_dropped",
        "Your `eval` output still has values dropped: the module is still in training mode. "
        "Call model.eval() before the second call; in evaluation mode dropout returns x unchanged.",
        _eval_dropped,
        pitfall="Staying in training mode for the second call",
    ),
    Misconception(
        "trained_twice",
        "Your `train` output has the mask of a second training-mode call: every call in training "
        "mode draws the next key from the layer's stream, so each call drops different values. "
        "Call the model once in training mode and return that output.",
        _trained_twice,
        pitfall="Calling the model in training mode more than once",
    ),
    Misconception(
        "eval_is_train",
        "You returned the training output as `eval` too. Switch the module with model.eval() "
        "and call it again: in evaluation mode dropout returns x unchanged.",
        _eval_is_train,
    ),
    Misconception(
        "call_time_rngs",
        "Your mask comes from the first key of the `dropout` stream, as when a fresh Rngs is "
        "passed to the call or rngs.dropout() is drawn by hand. This problem gives the Rngs to "
        "the constructor, nnx.Dropout(rate, rngs=rngs), which forks its own stream from it; "
        "then call the layer with x alone.",
        _call_time_rngs,
    ),
    Misconception(
        "rngs_given_twice",
        "You passed the Rngs both to the constructor and to the call, so the call used a later "
        "key of the stream. Give it once, to the constructor: nnx.Dropout(rate, rngs=rngs), "
        "then call the layer with x alone.",
        _rngs_given_twice,
    ),
    Misconception(
        "raw_key",
        "Your mask was drawn with jax.random.key(seed) (or PRNGKey) directly. Let nnx manage the "
        "keys: build nnx.Rngs(dropout=int(seed)) and give it to nnx.Dropout's constructor.",
        _raw_key,
    ),
    Misconception("rate_as_keep", RATE_AS_KEEP_HINT, _rate_as_keep, pitfall="treating `rate` as the keep probability"),
    Misconception("rate_as_keep_own_key", RATE_AS_KEEP_HINT, _rate_as_keep_own_key, pitfall="treating `rate` as the keep probability"),
    Misconception(
        "fixed_seed",
        "Your mask looks like the one seed 0 gives, whatever the seed: build the stream from the "
        "argument, nnx.Rngs(dropout=int(seed)), not from a constant.",
        _fixed_seed,
    ),
    Misconception(
        "never_in_training_mode",
        "Your `train` output is x unchanged: the module was in evaluation mode for the first call too, so "
        "nothing was dropped. Call model.train() before the first call (it sets deterministic=False) and "
        "model.eval() before the second.",
        lambda inputs: (np.asarray(_inputs(inputs)[0]), np.asarray(_inputs(inputs)[0])),
    ),
)
