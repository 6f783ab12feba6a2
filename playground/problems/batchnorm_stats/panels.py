"""batchnorm_stats' panels: the running mean and variance after each BatchNorm call, per feature."""

import numpy as np

from playground.problems.panels import Chart, PanelInputs, Panels, Probes, listed


def _history(recording, name: str) -> np.ndarray | None:
    """(features, calls): the statistic after each call, one row per feature."""
    if recording is None:
        return None
    values = [e.state.get(name) for e in recording.of("BatchNorm")]
    values = [v.ravel() for v in values if v is not None]
    if not values or len({v.size for v in values}) != 1:
        return None
    return np.stack(values, axis=1)


def draw(panel: PanelInputs) -> list[Chart]:
    charts = []
    for name, words in (("mean", "Running mean"), ("var", "Running variance")):
        mine, theirs = _history(panel.learner, name), _history(panel.reference, name)
        note = None
        if mine is None:
            note = f"No nnx.BatchNorm call of yours ran, so there is no {words.lower()} to draw."
        elif theirs is not None and mine.shape[0] != theirs.shape[0]:
            note = f"Your BatchNorm tracks {mine.shape[0]} features; the batch has {theirs.shape[0]}."
        features = theirs.shape[0] if theirs is not None else 0
        charts.append(
            Chart(
                "lines",
                f"{words} after each BatchNorm call (the last is the eval-mode call), per feature",
                listed(mine),
                listed(theirs),
                note=note,
                names=tuple(f"feature {f}" for f in range(features)),
                x_title="after call",
                x_labels=tuple(str(k + 1) for k in range(theirs.shape[1] if theirs is not None else 0)),
                y_title=name,
            )
        )
    return charts


PANELS = Panels(probes=Probes(modules=(("BatchNorm", ("mean", "var")),)), draw=draw)
