"""embed_layernorm's panels: the looked-up rows, then each token's mean and spread before and after the norm."""

import numpy as np

from playground.problems.panels import Chart, PanelInputs, Panels, Probes, got_part, listed


def _first(recording, kind: str):
    calls = recording.of(kind) if recording is not None else []
    return calls[0] if calls else None


def _summary(rows: np.ndarray | None) -> list | None:
    """[[mean of each token], [spread of each token]] over its features."""
    if rows is None or rows.ndim != 2:
        return None
    return [listed(rows.mean(axis=1)), listed(rows.std(axis=1))]


def draw(panel: PanelInputs) -> list[Chart]:
    reference_rows = _first(panel.reference, "Embed").output
    embed, norm = _first(panel.learner, "Embed"), _first(panel.learner, "LayerNorm")
    rows = embed.output if embed is not None else None
    rows = rows if rows is not None and rows.shape == reference_rows.shape else None
    before = norm.input if norm is not None and norm.input is not None else rows
    after = got_part(panel, 0)
    if after is None and norm is not None:
        after = norm.output
    tokens = tuple(f"token {t}" for t in range(reference_rows.shape[0]))
    charts = [
        Chart(
            "heatmaps",
            "Looked-up rows: one embedding row per token id",
            listed(rows),
            listed(reference_rows),
            note=None if rows is not None else "Your code made no nnx.Embed lookup of the reference's shape.",
            x_title="feature",
            y_title="token",
        )
    ]
    for stage, mine, theirs in (
        ("before the norm", before, reference_rows),
        ("after the norm", after, panel.expected[0]),
    ):
        summary = _summary(mine) if mine is not None and mine.shape == theirs.shape else None
        charts.append(
            Chart(
                "lines",
                f"Each token's mean and spread (std over its features) {stage}",
                summary,
                _summary(theirs),
                note=None if summary is not None else f"Your code produced no token rows {stage}.",
                names=("mean", "spread"),
                x_title="token",
                x_labels=tokens,
            )
        )
    return charts


PANELS = Panels(probes=Probes(modules=(("Embed", ()), ("LayerNorm", ()))), draw=draw)
