"""Known wrong answers to conv_feature_map, each computed by trusted code, with its hint."""

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from playground.problems import Misconception


def _conv(inputs: dict, *, kernel: object = None, stride: int | None = None, padding: str | None = None) -> nnx.Conv:
    k, s = int(inputs["kernel_size"]), int(inputs["stride"])
    return nnx.Conv(
        1,
        int(inputs["features"]),
        kernel_size=(k, k) if kernel is None else kernel,
        strides=(s, s) if stride is None else stride,
        padding=("SAME" if inputs["same"] else "VALID") if padding is None else padding,
        rngs=nnx.Rngs(int(inputs["seed"])),
    )


def _nhwc(inputs: dict) -> jax.Array:
    return jnp.asarray(inputs["image"], dtype=jnp.float32)[None, :, :, None]


def _right(inputs: dict) -> jax.Array:
    return _conv(inputs)(_nhwc(inputs))[0]


def _layer(**changed: object) -> Callable[[dict], np.ndarray]:
    def compute(inputs: dict) -> np.ndarray:
        return np.asarray(_conv(inputs, **changed)(_nhwc(inputs))[0])

    return compute


def _padding_inverted(inputs: dict) -> np.ndarray:
    return _layer(padding="VALID" if inputs["same"] else "SAME")(inputs)


def _kernel_1d(inputs: dict) -> np.ndarray:
    # kernel_size=k (an int) makes a 1-D convolution along the width; the height acts as a batch.
    return _layer(kernel=int(inputs["kernel_size"]), stride=int(inputs["stride"]))(inputs)


def _batch_axis_kept(inputs: dict) -> np.ndarray:
    return np.asarray(_conv(inputs)(_nhwc(inputs)))


def _channels_first(inputs: dict) -> np.ndarray:
    return np.asarray(jnp.transpose(_right(inputs), (2, 0, 1)))


def _flipped_kernel(inputs: dict) -> np.ndarray:
    # A true convolution (as in signal processing): the kernel turned by 180 degrees.
    conv = _conv(inputs)
    conv.kernel[...] = conv.kernel[...][::-1, ::-1]
    return np.asarray(conv(_nhwc(inputs))[0])


def _stride_by_subsampling(inputs: dict) -> np.ndarray:
    s = int(inputs["stride"])
    return np.asarray(_conv(inputs, stride=1)(_nhwc(inputs))[0][::s, ::s])


def _relu_applied(inputs: dict) -> np.ndarray:
    return np.asarray(jax.nn.relu(_right(inputs)))


MISCONCEPTIONS = (
    Misconception(
        "padding_ignored",
        "Your feature maps always have the image's size divided by the stride, as with SAME "
        "padding: nnx.Conv's default padding is 'SAME'. Pass padding='SAME' when same is 1 and "
        "padding='VALID' when it is 0.",
        _layer(padding="SAME"),
        pitfall="Leaving `padding` out",
    ),
    Misconception(
        "padding_inverted",
        "SAME and VALID are swapped. VALID uses no padding, so the kernel only visits positions "
        "where it fits inside the image and the maps shrink by kernel_size - 1; SAME pads with "
        "zeros so that, at stride 1, the maps keep the image's size.",
        _padding_inverted,
        pitfall="Swapping SAME and VALID",
    ),
    Misconception(
        "stride_ignored",
        "Your layer moves the kernel one pixel at a time: the stride was left out. Pass "
        "strides=(s, s) with s = int(stride); at stride 2 the maps have about half the height and width.",
        _layer(stride=1),
        pitfall="Forgetting `strides`",
    ),
    Misconception(
        "kernel_1d",
        "Your kernel has one spatial axis: kernel_size=k (a bare int) makes nnx.Conv a 1-D "
        "convolution along the last spatial axis, so the height was treated as a batch. Pass "
        "kernel_size=(k, k); the kernel then has shape (k, k, 1, features).",
        _kernel_1d,
        pitfall="`kernel_size=3` instead of `(3, 3)`",
    ),
    Misconception(
        "batch_axis_kept",
        "You returned the batch axis too: nnx.Conv's output is (1, out_height, out_width, "
        "features) for a batch of one image. Return y[0], of shape (out_height, out_width, features).",
        _batch_axis_kept,
        pitfall="Returning the batch axis",
    ),
    Misconception(
        "channels_first",
        "Your maps are channels first, (features, out_height, out_width). nnx.Conv works in NHWC: "
        "the channels are the last axis of its output, so return y[0] as it is.",
        _channels_first,
        pitfall="Moving the channels to the front",
    ),
    Misconception(
        "padding_always_valid",
        "Your feature maps always have VALID's size: the kernel never goes past the image's edge. Pass "
        "padding='SAME' when same is 1 (zeros around the image, so at stride 1 the maps keep its size) and "
        "padding='VALID' when it is 0.",
        _layer(padding="VALID"),
    ),
    Misconception(
        "flipped_kernel",
        "Your maps are those of the kernel turned by 180 degrees: a true convolution, as in signal processing "
        "(convolve2d, or a kernel flipped with [::-1, ::-1]). nnx.Conv, like every deep-learning convolution, "
        "is a cross-correlation: it slides the kernel over the image as it is, without flipping it.",
        _flipped_kernel,
    ),
    Misconception(
        "stride_by_subsampling",
        "Your strided maps are a stride-1 convolution with every s-th pixel kept. That agrees with a strided "
        "nnx.Conv except where 'SAME' padding is odd: nnx.Conv then pads for the strided windows and puts the "
        "extra row or column at the end, so its windows start elsewhere. Pass strides=(s, s) to nnx.Conv instead.",
        _stride_by_subsampling,
    ),
    Misconception(
        "relu_applied",
        "Your maps have no negative values: you applied a ReLU. nnx.Conv is only the "
        "convolution plus its bias; an activation is a separate step this problem does not ask for.",
        _relu_applied,
        pitfall="nnx.Conv applies no activation",
    ),
)
