"""conv_feature_map's panels: the input image, each kernel, and each output channel's feature map."""

import numpy as np

from playground.problems.panels import Chart, PanelInputs, Panels, Probes, got_part, listed

MAPS_DRAWN = 4


def _conv(recording):
    calls = recording.of("Conv") if recording is not None else []
    return calls[0] if calls else None


def _channels(array: np.ndarray | None, count: int) -> list | None:
    """(..., channels) as one matrix per channel, batch and input-channel axes dropped."""
    if array is None or array.ndim < 3 or array.shape[-1] < count:
        return None
    while array.ndim > 3:
        array = array[0] if array.shape[0] == 1 else array[..., 0, :] if array.shape[-2] == 1 else None
        if array is None:
            return None
    return [listed(array[:, :, c]) for c in range(count)]


def draw(panel: PanelInputs) -> list[Chart]:
    image = np.asarray(panel.inputs["image"], dtype=np.float64)
    mine, theirs = _conv(panel.learner), _conv(panel.reference)
    count = min(int(panel.inputs["features"]), MAPS_DRAWN)
    names = tuple(f"channel {c}" for c in range(count))
    fed = mine.input if mine is not None else None
    fed_image = fed.reshape(image.shape) if fed is not None and fed.size == image.size else None
    kernels = _channels(mine.state.get("kernel") if mine is not None else None, count)
    maps = _channels(got_part(panel, 0), count)
    if maps is None and mine is not None:
        maps = _channels(mine.output, count)  # the answer is unusable, but the layer ran
    not_run = "Your code made no nnx.Conv call, so there is nothing of yours to draw here."
    return [
        Chart(
            "heatmaps",
            "Input image as your nnx.Conv received it",
            listed(fed_image),
            listed(image),
            note=None if fed_image is not None else (not_run if mine is None else f"Your Conv received shape {fed.shape if fed is not None else 'unknown'}."),
            x_title="column",
            y_title="row",
        ),
        Chart(
            "grid",
            "Kernels, one per output channel (kernel[:, :, 0, c])",
            kernels,
            _channels(theirs.state.get("kernel"), count) if theirs is not None else None,
            note=None if kernels is not None else not_run if mine is None else "Your kernel is not (k, k, 1, features).",
            names=names,
        ),
        Chart(
            "grid",
            "Feature map of each output channel",
            maps,
            _channels(panel.expected[0], count),
            note=None if maps is not None else "Your code produced no (out_height, out_width, features) feature maps.",
            names=names,
        ),
    ]


PANELS = Panels(probes=Probes(modules=(("Conv", ("kernel",)),)), draw=draw)
