"""vmap_ensemble's panels: each member's output side by side, and the stacked parameters by member."""

from playground.problems.panels import Chart, PanelInputs, Panels, Probes, got_part, listed


def _stacked(recording) -> dict:
    """The parameters of the first module an nnx.vmap'd function returned (the stacked ensemble)."""
    built = [e.output_state for e in recording.of("vmap") if e.output_state] if recording is not None else []
    return built[0] if built else {}


def draw(panel: PanelInputs) -> list[Chart]:
    reference = panel.expected[0]
    mine = got_part(panel, 0)
    charts = [
        Chart(
            "heatmaps",
            "Each member's output (row: member, column: output feature)",
            listed(mine),
            listed(reference),
            note=None if mine is not None else "Your code returned no (members, features) outputs.",
            x_title="output feature",
            y_title="member",
        )
    ]
    ours, theirs = _stacked(panel.learner), _stacked(panel.reference)
    for path, stacked in theirs.items():
        if stacked is None:
            continue
        by_member = stacked.reshape(stacked.shape[0], -1)
        own = ours.get(path)
        usable = own is not None and own.shape == stacked.shape
        charts.append(
            Chart(
                "heatmaps",
                f"Stacked {path} by member (row: member, columns: its {path} entries flattened)",
                listed(own.reshape(own.shape[0], -1)) if usable else None,
                listed(by_member),
                note=None if usable else f"No nnx.vmap of yours built a module whose {path} has shape {stacked.shape}.",
                x_title="entry",
                y_title="member",
            )
        )
    return charts


PANELS = Panels(probes=Probes(functions=("vmap",)), draw=draw)
