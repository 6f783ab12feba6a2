"""Known wrong answers to module_basics_forward, each computed by trusted code, with its hint."""

import math

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from playground.problems import Misconception


def _shapes(inputs: dict) -> tuple[jax.Array, int, int]:
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    return x, x.shape[-1], int(inputs["features"])


def _params_key(inputs: dict) -> jax.Array:
    return nnx.Rngs(int(inputs["seed"])).params()


def _no_scaling(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    return np.asarray(x @ jax.random.normal(_params_key(inputs), (n_in, n_out)))


def _raw_key(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    key = jax.random.key(int(inputs["seed"]))
    return np.asarray(x @ (jax.random.normal(key, (n_in, n_out)) / math.sqrt(n_in)))


def _second_key(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    rngs = nnx.Rngs(int(inputs["seed"]))
    rngs.params()
    return np.asarray(x @ (jax.random.normal(rngs.params(), (n_in, n_out)) / math.sqrt(n_in)))


def _random_bias(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    rngs = nnx.Rngs(int(inputs["seed"]))
    kernel = jax.random.normal(rngs.params(), (n_in, n_out)) / math.sqrt(n_in)
    bias = jax.random.normal(rngs.params(), (n_out,))
    return np.asarray(x @ kernel + bias)


def _transposed(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    kernel = jax.random.normal(_params_key(inputs), (n_out, n_in)) / math.sqrt(n_in)
    return np.asarray(kernel @ x)


def _uniform(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    return np.asarray(x @ (jax.random.uniform(_params_key(inputs), (n_in, n_out)) / math.sqrt(n_in)))


def _drawn_with(draw) -> object:
    def compute(inputs: dict) -> np.ndarray:
        x, n_in, n_out = _shapes(inputs)
        return np.asarray(x @ (draw(_params_key(inputs), (n_in, n_out)) / math.sqrt(n_in)))

    return compute


def _truncated(key: jax.Array, shape: tuple[int, int]) -> jax.Array:
    return jax.random.truncated_normal(key, -2.0, 2.0, shape)


def _kernel_returned(inputs: dict) -> np.ndarray:
    _, n_in, n_out = _shapes(inputs)
    return np.asarray(jax.random.normal(_params_key(inputs), (n_in, n_out)) / math.sqrt(n_in))


def _nnx_linear(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    layer = nnx.Linear(n_in, n_out, use_bias=False, rngs=nnx.Rngs(int(inputs["seed"])))
    return np.asarray(layer(x))


MISCONCEPTIONS = (
    Misconception(
        "no_scaling",
        "Your kernel is missing the 1/sqrt(in_features) factor: multiply the normal draw by "
        "1 / math.sqrt(in_features) so the output's scale does not grow with the input size.",
        _no_scaling,
    ),
    Misconception(
        "raw_key",
        "You drew the kernel from jax.random.key(seed) (or jax.random.PRNGKey(seed)) directly. In "
        "nnx the key comes from the Rngs object: call rngs.params() inside __init__ and pass that "
        "key to jax.random.normal.",
        _raw_key,
    ),
    Misconception(
        "second_key",
        "Your kernel comes from a second key: every rngs.params() call returns a new key, so "
        "draw exactly one key and use it for the kernel.",
        _second_key,
    ),
    Misconception(
        "random_bias",
        "Your output looks like it has a bias added. This module has a single parameter, the "
        "kernel: remove the bias and return x @ kernel.",
        _random_bias,
    ),
    Misconception(
        "transposed",
        "Your kernel is transposed: create it with shape (in_features, out_features) and "
        "compute x @ kernel.",
        _transposed,
    ),
    Misconception(
        "uniform",
        "Your kernel was drawn from a uniform distribution: use jax.random.normal, then scale it "
        "by 1 / sqrt(in_features).",
        _uniform,
    ),
    *(
        Misconception(
            name,
            f"Your kernel was drawn from {label}, not a normal distribution: use jax.random.normal(key, "
            "(in_features, out_features)), then scale it by 1 / sqrt(in_features).",
            _drawn_with(draw),
        )
        for name, label, draw in (
            ("truncated_normal", "a truncated normal", _truncated),
            ("laplace", "a Laplace distribution", jax.random.laplace),
            ("logistic", "a logistic distribution", jax.random.logistic),
        )
    ),
    Misconception(
        "kernel_returned",
        "You returned the kernel itself. Construct the module, then call it on x and return "
        "that output: a vector of length features.",
        _kernel_returned,
    ),
    Misconception(
        "nnx_linear",
        "nnx.Linear initialises its kernel with a truncated (lecun) normal, not the plain "
        "normal this problem asks for: write your own nnx.Module with one nnx.Param kernel.",
        _nnx_linear,
    ),
)
