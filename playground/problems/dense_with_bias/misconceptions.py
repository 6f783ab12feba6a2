"""Known wrong answers to dense_with_bias, each computed by trusted code, with its hint."""

import math
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from playground.problems import Misconception

# The standard deviation of a standard normal truncated to (-2, 2): lecun_normal divides by it
# so that the truncated draw still has variance 1 / fan_in.
TRUNCATED_STD = 0.87962566103423978


def _shapes(inputs: dict) -> tuple[jax.Array, int, int]:
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    return x, x.shape[-1], int(inputs["features"])


def _keys(inputs: dict) -> tuple[jax.Array, jax.Array]:
    # The first two keys of the params stream: nnx.Linear's kernel key, then its bias key.
    rngs = nnx.Rngs(int(inputs["seed"]))
    return rngs.params(), rngs.params()


def _out(x: jax.Array, kernel: jax.Array, bias: jax.Array | float = 0.0) -> np.ndarray:
    return np.asarray(x @ kernel + bias)


def _plain_normal(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    kernel_key, _ = _keys(inputs)
    return _out(x, jax.random.normal(kernel_key, (n_in, n_out)) / math.sqrt(n_in))


def _truncated_unscaled(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    kernel_key, _ = _keys(inputs)
    return _out(x, jax.random.truncated_normal(kernel_key, -2.0, 2.0, (n_in, n_out)))


def _truncated_no_correction(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    kernel_key, _ = _keys(inputs)
    return _out(x, jax.random.truncated_normal(kernel_key, -2.0, 2.0, (n_in, n_out)) / math.sqrt(n_in))


def _initialiser(make: Callable[[], Callable]) -> Callable[[dict], np.ndarray]:
    def compute(inputs: dict) -> np.ndarray:
        x, n_in, n_out = _shapes(inputs)
        kernel_key, _ = _keys(inputs)
        return _out(x, make()(kernel_key, (n_in, n_out), jnp.float32))

    return compute


def _transposed(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    kernel_key, _ = _keys(inputs)
    return np.asarray(nnx.initializers.lecun_normal()(kernel_key, (n_out, n_in), jnp.float32) @ x)


def _bias_key_first(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    _, second_key = _keys(inputs)
    return _out(x, nnx.initializers.lecun_normal()(second_key, (n_in, n_out), jnp.float32))


def _raw_key(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    key = jax.random.key(int(inputs["seed"]))
    return _out(x, nnx.initializers.lecun_normal()(key, (n_in, n_out), jnp.float32))


def _random_bias(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    kernel_key, bias_key = _keys(inputs)
    kernel = nnx.initializers.lecun_normal()(kernel_key, (n_in, n_out), jnp.float32)
    return _out(x, kernel, jax.random.normal(bias_key, (n_out,)))


def _ones_bias(inputs: dict) -> np.ndarray:
    x, n_in, n_out = _shapes(inputs)
    kernel_key, _ = _keys(inputs)
    return _out(x, nnx.initializers.lecun_normal()(kernel_key, (n_in, n_out), jnp.float32), 1.0)


def _kernel_returned(inputs: dict) -> np.ndarray:
    _, n_in, n_out = _shapes(inputs)
    kernel_key, _ = _keys(inputs)
    return np.asarray(nnx.initializers.lecun_normal()(kernel_key, (n_in, n_out), jnp.float32))


MISCONCEPTIONS = (
    Misconception(
        "plain_normal",
        "Your kernel is a plain normal draw scaled by 1/sqrt(in_features), as in the previous "
        "problem. nnx.Linear uses lecun_normal, a normal truncated to two standard deviations: "
        "draw it with nnx.initializers.lecun_normal()(key, (in_features, out_features)).",
        _plain_normal,
        pitfall="A plain `jax.random.normal` draw",
    ),
    Misconception(
        "truncated_unscaled",
        "Your kernel is a truncated normal that was never scaled. lecun_normal gives the draw "
        "variance 1/in_features: call nnx.initializers.lecun_normal()(key, shape) rather than "
        "jax.random.truncated_normal on its own.",
        _truncated_unscaled,
        pitfall="without the scale",
    ),
    Misconception(
        "truncated_no_correction",
        "Your kernel is truncated_normal(-2, 2) / sqrt(in_features), which is slightly too small: "
        "cutting the tails lowers the standard deviation to about 0.88, and lecun_normal divides "
        "by that too. Use nnx.initializers.lecun_normal()(key, shape) and you get it exactly.",
        _truncated_no_correction,
        pitfall="without the 0.8796 correction",
    ),
    Misconception(
        "he_normal",
        "Your kernel looks like he_normal (variance 2/in_features). nnx.Linear's default is "
        "lecun_normal, variance 1/in_features: use nnx.initializers.lecun_normal().",
        _initialiser(nnx.initializers.he_normal),
        pitfall="`he_normal`",
    ),
    Misconception(
        "glorot_normal",
        "Your kernel looks like glorot_normal (xavier), which averages in and out features. "
        "nnx.Linear's default is lecun_normal, which scales by in_features only: use "
        "nnx.initializers.lecun_normal().",
        _initialiser(nnx.initializers.glorot_normal),
        pitfall="`glorot_normal`",
    ),
    Misconception(
        "lecun_uniform",
        "Your kernel comes from lecun_uniform. nnx.Linear draws from a (truncated) normal: use "
        "nnx.initializers.lecun_normal().",
        _initialiser(nnx.initializers.lecun_uniform),
        pitfall="`lecun_uniform`",
    ),
    Misconception(
        "transposed",
        "Your kernel is transposed: nnx.Linear's kernel has shape (in_features, out_features) "
        "and the output is x @ kernel + bias. The shape also decides lecun_normal's scale, which "
        "uses the first axis as in_features.",
        _transposed,
        pitfall="The kernel stored as `(out_features, in_features)`",
    ),
    Misconception(
        "bias_key_first",
        "Your kernel was drawn from the second key of the stream. nnx.Linear calls rngs.params() "
        "for the kernel first and only then for the bias: draw the kernel's key before the "
        "bias's, and draw each key once.",
        _bias_key_first,
        pitfall="Drawing the bias key before the kernel key",
    ),
    Misconception(
        "raw_key",
        "You drew the kernel from jax.random.key(seed) directly. nnx.Linear takes its key from "
        "the Rngs object: pass rngs.params() to the initializer.",
        _raw_key,
    ),
    Misconception(
        "random_bias",
        "Your bias is random. nnx.Linear initialises the bias with zeros "
        "(nnx.initializers.zeros_init()): it still draws a key for it, but the zeros ignore it.",
        _random_bias,
        pitfall="A random bias",
    ),
    Misconception(
        "ones_bias",
        "Your bias is all ones. nnx.Linear's default bias_init is zeros: use "
        "nnx.initializers.zeros_init()(key, (out_features,)) or jnp.zeros((out_features,)).",
        _ones_bias,
        pitfall="a bias of ones",
    ),
    Misconception(
        "kernel_returned",
        "You returned the kernel itself. Construct the layer, call it on x and return that "
        "output: a vector of length features.",
        _kernel_returned,
    ),
)
