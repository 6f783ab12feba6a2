"""state_roundtrip's panels: the state's values before nnx.split and after nnx.merge, and what changed."""

import numpy as np

from playground.problems.panels import Chart, PanelInputs, Panels, Probes, listed


def _states(recording) -> tuple[dict, dict]:
    if recording is None:
        return {}, {}
    splits = [e.input_state for e in recording.of("split") if e.input_state]
    merges = [e.output_state for e in recording.of("merge") if e.output_state]
    return (splits[0] if splits else {}), (merges[-1] if merges else {})


def _flat(state: dict, paths: list[str]) -> np.ndarray | None:
    parts = []
    for path in paths:
        value = state.get(path)
        if value is None:
            return None
        parts.append(value.ravel())
    return np.concatenate(parts) if parts else None


def _labels(state: dict, paths: list[str]) -> tuple[str, ...]:
    labels = []
    for path in paths:
        size = state[path].size
        labels.extend([path] if size == 1 else [f"{path}[{i}]" for i in range(size)])
    return tuple(labels)


def draw(panel: PanelInputs) -> list[Chart]:
    before_ref, after_ref = _states(panel.reference)
    before, after = _states(panel.learner)
    paths = [p for p in before_ref if before_ref[p] is not None]
    labels = _labels(before_ref, paths)
    mine_before, mine_after = _flat(before, paths), _flat(after, paths)
    ref_before, ref_after = _flat(before_ref, paths), _flat(after_ref, paths)
    changed_mine = mine_after - mine_before if mine_before is not None and mine_after is not None else None
    changed_ref = ref_after - ref_before if ref_before is not None and ref_after is not None else None
    return [
        Chart(
            "bars",
            "State before nnx.split: every Variable's values, by path",
            listed(mine_before),
            listed(ref_before),
            note=None if mine_before is not None else "No nnx.split(model, ...) of yours ran on a model with the reference's Variables.",
            names=labels,
            x_title="variable",
        ),
        Chart(
            "bars",
            "What changed after nnx.merge: merged model's state minus the state before the split",
            listed(changed_mine),
            listed(changed_ref),
            note=None if changed_mine is not None else "No nnx.merge of yours built a model with the reference's Variables after a split.",
            names=labels,
            x_title="variable",
        ),
    ]


PANELS = Panels(probes=Probes(functions=("split", "merge")), draw=draw)
