"""Known wrong answers to mlp_relu, each computed by trusted code, with its hint."""

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from playground.problems import Misconception


def _setup(inputs: dict) -> tuple[jax.Array, int, int, int, int]:
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    return x, int(inputs["seed"]), x.shape[-1], int(inputs["hidden"]), int(inputs["features"])


def _layers(inputs: dict) -> tuple[jax.Array, nnx.Linear, nnx.Linear]:
    x, seed, n_in, n_hidden, n_out = _setup(inputs)
    rngs = nnx.Rngs(seed)
    first = nnx.Linear(n_in, n_hidden, rngs=rngs)
    return x, first, nnx.Linear(n_hidden, n_out, rngs=rngs)


def _activation(act: Callable[[jax.Array], jax.Array]) -> Callable[[dict], np.ndarray]:
    def compute(inputs: dict) -> np.ndarray:
        x, first, second = _layers(inputs)
        return np.asarray(second(act(first(x))))

    return compute


def _relu_after_last(inputs: dict) -> np.ndarray:
    x, first, second = _layers(inputs)
    return np.asarray(nnx.relu(second(nnx.relu(first(x)))))


def _swapped_order(inputs: dict) -> np.ndarray:
    x, seed, n_in, n_hidden, n_out = _setup(inputs)
    rngs = nnx.Rngs(seed)
    second = nnx.Linear(n_hidden, n_out, rngs=rngs)
    first = nnx.Linear(n_in, n_hidden, rngs=rngs)
    return np.asarray(second(nnx.relu(first(x))))


def _same_seed_per_layer(inputs: dict) -> np.ndarray:
    x, seed, n_in, n_hidden, n_out = _setup(inputs)
    first = nnx.Linear(n_in, n_hidden, rngs=nnx.Rngs(seed))
    second = nnx.Linear(n_hidden, n_out, rngs=nnx.Rngs(seed))
    return np.asarray(second(nnx.relu(first(x))))


def _hidden_and_features_swapped(inputs: dict) -> np.ndarray:
    x, seed, n_in, n_hidden, n_out = _setup(inputs)
    rngs = nnx.Rngs(seed)
    first = nnx.Linear(n_in, n_out, rngs=rngs)
    second = nnx.Linear(n_out, n_hidden, rngs=rngs)
    return np.asarray(second(nnx.relu(first(x))))


def _no_bias_key(inputs: dict) -> np.ndarray:
    # A hand-written dense layer that draws no key for its (zero) bias: the second layer's
    # kernel then comes from the stream's second key instead of its third.
    x, seed, n_in, n_hidden, n_out = _setup(inputs)
    rngs = nnx.Rngs(seed)
    init = nnx.initializers.lecun_normal()
    kernel1 = init(rngs.params(), (n_in, n_hidden), jnp.float32)
    kernel2 = init(rngs.params(), (n_hidden, n_out), jnp.float32)
    return np.asarray(nnx.relu(x @ kernel1) @ kernel2)


MISCONCEPTIONS = (
    Misconception(
        "relu_after_last",
        "Your output went through a ReLU too, so it has no negative values. The activation goes "
        "only between the layers: return linear2(relu(linear1(x))), with nothing after linear2.",
        _relu_after_last,
        pitfall="A ReLU after the last layer too",
    ),
    Misconception(
        "no_relu",
        "There is no activation between your layers, so the two of them are just one linear map. "
        "Apply nnx.relu to linear1's output before linear2.",
        _activation(lambda h: h),
        pitfall="no ReLU at all",
    ),
    Misconception(
        "swapped_order",
        "Your layers got each other's keys: you built linear2 (hidden -> features) before linear1. "
        "Each nnx.Linear takes the next keys from rngs.params() as it is built, so construct "
        "linear1 (in -> hidden) first, then linear2.",
        _swapped_order,
        pitfall="Building linear2 before linear1",
    ),
    Misconception(
        "same_seed_per_layer",
        "Each of your layers got its own nnx.Rngs(seed), so both drew the same first key. Make one "
        "nnx.Rngs(int(seed)) and pass that same object to both layers: the second layer then gets "
        "the keys that come after the first layer's.",
        _same_seed_per_layer,
        pitfall="a fresh `nnx.Rngs(seed)` for each layer",
    ),
    Misconception(
        "sigmoid",
        "Your hidden activation looks like a sigmoid. This MLP uses ReLU: apply nnx.relu (or "
        "jax.nn.relu) between the layers.",
        _activation(jax.nn.sigmoid),
        pitfall="sigmoid",
    ),
    Misconception(
        "tanh",
        "Your hidden activation looks like tanh. This MLP uses ReLU: apply nnx.relu (or "
        "jax.nn.relu) between the layers.",
        _activation(jnp.tanh),
        pitfall="tanh",
    ),
    Misconception(
        "gelu",
        "Your hidden activation looks like GELU. This MLP uses ReLU, max(h, 0): apply nnx.relu between the layers.",
        _activation(nnx.gelu),
        pitfall="gelu",
    ),
    *(
        Misconception(
            name,
            f"Your hidden activation looks like {label}. This MLP uses ReLU, max(h, 0), which sets every "
            "negative value to exactly 0: apply nnx.relu between the layers.",
            _activation(act),
        )
        for name, label, act in (
            ("leaky_relu", "a leaky ReLU", nnx.leaky_relu),
            ("elu", "an ELU", nnx.elu),
            ("silu", "SiLU (swish)", nnx.silu),
        )
    ),
    Misconception(
        "hidden_and_features_swapped",
        "Your output has hidden values instead of features: the sizes are mixed up. The first "
        "layer maps in_features -> hidden, the second hidden -> features; check the order of "
        "the arguments where you build the model.",
        _hidden_and_features_swapped,
        pitfall="Swapping `hidden` and `features`",
    ),
    Misconception(
        "no_bias_key",
        "Your second layer's kernel came from the wrong key: your layers draw only one key each. "
        "nnx.Linear draws two (kernel, then bias), so use nnx.Linear, or have your own layer "
        "draw a bias key too.",
        _no_bias_key,
        pitfall="Reusing a hand-written layer that draws one key instead of two",
    ),
)
