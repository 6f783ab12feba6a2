"""training_step's panels: the loss before and after training, and each parameter's update as a heatmap."""

import numpy as np

from playground.problems.panels import Chart, PanelInputs, Panels, Probes, got_part, listed


def _updates(recording) -> dict[str, np.ndarray]:
    """Each parameter after the last untraced model call minus before the first (gradients are traced)."""
    if recording is None:
        return {}
    seen = [e.state for e in recording.of("Linear") if all(v is not None for v in e.state.values())]
    if len(seen) < 2:
        return {}
    first, last = seen[0], seen[-1]
    return {name: last[name] - first[name] for name in first if first[name].shape == last[name].shape}


def draw(panel: PanelInputs) -> list[Chart]:
    steps = int(panel.inputs["steps"])
    losses_ref = [float(panel.expected[0]), float(panel.expected[1])]
    before, after = got_part(panel, 0), got_part(panel, 1)
    losses = [float(before), float(after)] if before is not None and after is not None else None
    charts = [
        Chart(
            "bars",
            f"Loss before and after {steps} SGD step{'' if steps == 1 else 's'}",
            losses,
            losses_ref,
            note=None if losses is not None else "Your code returned no usable loss_before and loss_after.",
            names=("loss before", "loss after"),
            y_title="mean squared error",
        )
    ]
    mine, theirs = _updates(panel.learner), _updates(panel.reference)
    for name, update in theirs.items():
        ours = mine.get(name)
        usable = ours is not None and ours.shape == update.shape
        charts.append(
            Chart(
                "heatmaps",
                f"Update of {name} (after training minus before), the step's change to each entry",
                listed(np.atleast_2d(ours)) if usable else None,
                listed(np.atleast_2d(update)),
                note=None if usable else f"Your model's {name} was not seen both before and after training (an nnx.Linear called outside jit).",
                x_title="output j",
                y_title="input i" if update.ndim == 2 else "",
            )
        )
    return charts


PANELS = Panels(probes=Probes(modules=(("Linear", ("kernel", "bias")),)), draw=draw)
