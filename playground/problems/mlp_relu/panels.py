"""mlp_relu's panels: each layer's activations per unit, the units the ReLU zeroed marked."""

import numpy as np

from playground.problems.panels import Chart, PanelInputs, Panels, Probes, listed


def _stages(recording) -> list[np.ndarray | None]:
    """Hidden units before the ReLU, after it (the second layer's input), and the output."""
    layers = recording.of("Linear") if recording is not None else []
    first = layers[0] if layers else None
    second = layers[1] if len(layers) > 1 else None
    return [
        first.output if first is not None else None,
        second.input if second is not None else None,
        second.output if second is not None else None,
    ]


def _zeroed(after: np.ndarray | None, before: np.ndarray | None) -> tuple[int, ...]:
    if after is None:
        return ()
    return tuple(int(i) for i in np.flatnonzero((after.ravel() == 0) & ((before is None) | (np.ravel(before) != 0))))


def draw(panel: PanelInputs) -> list[Chart]:
    mine, theirs = _stages(panel.learner), _stages(panel.reference)
    titles = (
        "Activations after layer 1 (linear1), per hidden unit, before the ReLU",
        "Activations after the ReLU, per hidden unit (zeroed units marked)",
        "Activations after layer 2 (linear2), per output unit",
    )
    charts = []
    for index, title in enumerate(titles):
        ours, ref = mine[index], theirs[index]
        usable = ours is not None and ref is not None and ours.shape == ref.shape
        note = None if usable else "Your code did not get here: no nnx.Linear call produced these units."
        if ours is not None and not usable:
            note = f"Your values here have shape {ours.shape}; the reference's are {ref.shape if ref is not None else None}."
        charts.append(
            Chart(
                "bars",
                title,
                listed(ours.ravel()) if usable else None,
                listed(ref.ravel()) if ref is not None else None,
                note=note,
                names=tuple(f"unit {j}" for j in range(ref.size)) if ref is not None else (),
                marked_learner=_zeroed(ours, mine[0]) if index == 1 and usable else (),
                marked_reference=_zeroed(ref, theirs[0]) if index == 1 else (),
                x_title="unit",
                y_title="activation",
            )
        )
    return charts


PANELS = Panels(probes=Probes(modules=(("Linear", ()),)), draw=draw)
