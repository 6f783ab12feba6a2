"""The tests of conv_feature_map: three visible examples and the hidden ones."""

import numpy as np

from playground.problems.case_values import case_builder
from playground.problems.common import MAX_SEED

case = case_builder("seed image features kernel_size stride same")

# Five layer shapes only, (image, features, kernel, stride, padding): 5x5/2/3/1/SAME,
# 6x5/1/3/1/VALID, 6x5/2/2/2/SAME, 7x6/3/3/2/VALID and 6x4/2/3/2/SAME, so a worker warms up quickly. The images
# are not square, so an image read as (width, height) changes the answer's shape, and the two
# strided layers tell a forgotten stride from the reference.


def _image(rows: int, cols: int, amplitude: float, phase: float) -> list[list[float]]:
    # Deterministic, varied pixels of both signs that round-trip exactly as float32.
    i, j = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    values = amplitude * np.sin(0.9 * i + 0.55 * j * j + phase)
    return values.astype(np.float32).astype(np.float64).tolist()


RAMP = [[float(r * 5 + c - 12) for c in range(5)] for r in range(5)]  # -12 to 12, row by row

CASES = (
    case("example_same", 0, RAMP, 2, 3, 1, True, hidden=False),
    case("example_valid", 1, _image(6, 5, 1.0, 0.0), 1, 3, 1, False, hidden=False),
    case("example_stride_2", 2, _image(6, 5, 2.0, 0.4), 2, 2, 2, True, hidden=False),
    case("same_max_seed", MAX_SEED, _image(5, 5, 1.5, 1.0), 2, 3, 1, True, hidden=True),
    case("valid_negative_pixels", 17, (-np.abs(np.asarray(_image(6, 5, 3.0, 0.2)))).tolist(), 1, 3, 1, False, hidden=True),
    case("stride_2_same_large", 2024, _image(6, 5, 500.0, 2.1), 2, 2, 2, True, hidden=True),
    case("stride_2_valid_three_maps", 5, _image(7, 6, 1.0, 0.7), 3, 3, 2, False, hidden=True),
    # An odd kernel at stride 2 with 'SAME' on an even side: the padding (1) all goes after the
    # image, so a stride-1 convolution subsampled every other pixel starts one row too early.
    case("odd_kernel_stride_2_same", 99, _image(6, 4, 10.0, 2.9), 2, 3, 2, True, hidden=True),
)
