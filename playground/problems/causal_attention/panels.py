"""causal_attention's panel: the T x T attention weights, future cells masked, yours / reference / difference."""

import numpy as np

from playground.problems.panels import Chart, PanelInputs, Panels, Probes, got_part, listed, usable

TITLE = "Attention weights (row i: how query i spreads over keys j; masked cells are the future)"


def draw(panel: PanelInputs) -> list[Chart]:
    reference = panel.expected[1]
    tokens = reference.shape[0]
    future = np.triu(np.ones((tokens, tokens), dtype=bool), k=1)
    mine = got_part(panel, 1)
    note = None
    if mine is None and panel.learner is not None:
        # The code failed (or returned something else) after its softmax: draw the last one it took.
        taken = [e.output for e in panel.learner.of("softmax") if e.output is not None]
        mine = usable(taken[-1], reference) if taken else None
        note = "From your last softmax call: your code did not return usable weights." if mine is not None else None
    if mine is None:
        note = "Your code produced no (T, T) weights: return (output, weights), with weights from jax.nn.softmax."
    return [
        Chart(
            "heatmaps",
            TITLE,
            listed(mine),
            listed(np.where(future, 0.0, reference)),
            note=note,
            masked=future.tolist(),
            value_range=(0.0, 1.0),
            x_title="key j",
            y_title="query i",
        )
    ]


PANELS = Panels(probes=Probes(functions=("softmax",)), draw=draw)
