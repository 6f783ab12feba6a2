"""Sandbox-side warm-up: compiles the ops a typical answer uses, on one test's shapes."""

import jax
import jax.numpy as jnp
from flax import nnx


def warm(inputs: dict) -> object:
    """Build the test's nnx.Conv and run it once on an NHWC image of the test's size."""
    k, s = int(inputs["kernel_size"]), int(inputs["stride"])
    conv = nnx.Conv(
        1,
        int(inputs["features"]),
        kernel_size=(k, k),
        strides=(s, s),
        padding="SAME" if inputs["same"] else "VALID",
        rngs=nnx.Rngs(int(inputs["seed"])),
    )
    image = jnp.asarray(inputs["image"], dtype=jnp.float32)
    answer = conv(image[None, :, :, None])[0]
    return jax.block_until_ready((answer, conv(image.reshape(1, *image.shape, 1))))
