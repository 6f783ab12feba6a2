"""dropout_modes' panels: the keep mask in train mode, the scaled values, and eval mode untouched."""

import numpy as np

from playground.problems.panels import Chart, PanelInputs, Panels, Probes, got_part, listed, usable


def _train_and_eval(panel: PanelInputs, x: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None, str | None]:
    train, evaluated = got_part(panel, 0), got_part(panel, 1)
    if train is not None or panel.learner is None:
        return train, evaluated, None
    # No usable answer: the Dropout calls the code made, in order, show how far it got.
    calls = [usable(e.output, x) for e in panel.learner.of("Dropout")]
    train = calls[0] if calls else None
    evaluated = calls[1] if len(calls) > 1 else None
    return train, evaluated, "From your nnx.Dropout calls: your code returned no usable answer." if train is not None else None


def draw(panel: PanelInputs) -> list[Chart]:
    x = np.asarray(panel.inputs["x"], dtype=np.float64)
    rate = float(panel.inputs["rate"])
    reference_train, reference_eval = panel.expected[0], panel.expected[1]
    train, evaluated, note = _train_and_eval(panel, x)
    units = tuple(f"x[{j}]" for j in range(x.size))
    kept = (reference_train != 0) | (x == 0)
    mask = (train != 0) | (x == 0) if train is not None else None
    missing = "Your code produced no train-mode output of x's shape."
    return [
        Chart(
            "heatmaps",
            f"Keep mask in train mode (1 = kept, 0 = dropped; rate {rate:g})",
            listed(mask.astype(float)[None, :]) if mask is not None else None,
            listed(kept.astype(float)[None, :]),
            note=note if mask is not None else missing,
            value_range=(0.0, 1.0),
            x_title="element j",
        ),
        Chart(
            "bars",
            f"Scaled values in train mode: each kept x times 1 / (1 - rate) = {1 / (1 - rate):.3g}",
            listed(train) if train is not None else None,
            listed(reference_train),
            note=note if train is not None else missing,
            names=units,
            x_title="element",
        ),
        Chart(
            "bars",
            "Eval mode: x passes through untouched (no mask)",
            listed(evaluated) if evaluated is not None else None,
            listed(reference_eval),
            note=None if evaluated is not None else "Your code produced no eval-mode output of x's shape.",
            names=units,
            x_title="element",
        ),
    ]


PANELS = Panels(probes=Probes(modules=(("Dropout", ()),)), draw=draw)
