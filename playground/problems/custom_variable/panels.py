"""custom_variable's panel: the counter's value after each call of the module."""

from playground.problems.panels import Chart, PanelInputs, Panels, Probes


def _counts(recording) -> tuple[tuple[str, ...], list[list[float | None]]] | None:
    """Each non-Param value the module keeps (the counter), after each call: names and series."""
    calls = [e for e in recording.of("own") if not e.raised] if recording is not None else []
    names = tuple(name for name in (calls[0].state if calls else {}) if calls[0].state[name] is not None and calls[0].state[name].size == 1)
    if not names:
        return None
    series = [[float(c.state[n].ravel()[0]) if c.state.get(n) is not None and c.state[n].size == 1 else None for c in calls] for n in names]
    return names, series


def draw(panel: PanelInputs) -> list[Chart]:
    mine, theirs = _counts(panel.learner), _counts(panel.reference)
    note = None if mine is not None else "No call of your own module kept a counter (a Variable or number beside its Params)."
    names = mine[0] if mine is not None else (theirs[0] if theirs is not None else ())
    return [
        Chart(
            "lines",
            f"Counter value after each call ({int(panel.inputs['calls'])} calls)",
            mine[1] if mine is not None else None,
            theirs[1] if theirs is not None else None,
            note=note,
            names=names,
            x_title="after call",
            y_title="count",
        )
    ]


PANELS = Panels(probes=Probes(own_modules=True), draw=draw)
