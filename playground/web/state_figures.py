"""Treemaps of a module's state: a box per Variable under its path, sized by elements, coloured by type."""

from __future__ import annotations

import html
from collections.abc import Mapping

import plotly.graph_objects as go

from playground.judge.model_state import ModelState, StateVariable
from playground.judge.state_diff import DifferenceKind, StateDifference

TYPE_COLOURS = {
    "Param": "#4C78A8",
    "BatchStat": "#F58518",
    "RngKey": "#B279A2",
    "RngCount": "#D6A5C9",
    "RngState": "#B279A2",
    "jax.Array": "#9D755D",
    "ndarray": "#9D755D",
}
OTHER_COLOURS = ("#54A24B", "#EECA3B", "#72B7B2", "#FF9DA6", "#BAB0AC", "#88D27A")
GROUP_COLOUR = "#F2F2F2"
MARK_COLOUR = "#D62728"
HEIGHT = 380
ROOT_ID = "module:"

# What a marked box says, on the side where it is marked.
_LEARNER_MARKS = {
    DifferenceKind.TYPE: "other type",
    DifferenceKind.SHAPE: "other shape",
    DifferenceKind.EXTRA: "not in the reference",
    DifferenceKind.DTYPE: "other dtype",
    DifferenceKind.RENAMED: "another name",
}
_REFERENCE_MARKS = {
    DifferenceKind.TYPE: "other type in yours",
    DifferenceKind.SHAPE: "other shape in yours",
    DifferenceKind.MISSING: "missing in yours",
    DifferenceKind.DTYPE: "other dtype in yours",
    DifferenceKind.RENAMED: "another name in yours",
}


def learner_marks(differences: list[StateDifference]) -> dict[str, str]:
    """Path -> the words on that box in the learner's figure."""
    return {d.learner_path: _LEARNER_MARKS[d.kind] for d in differences if d.learner_path and d.kind in _LEARNER_MARKS}


def reference_marks(differences: list[StateDifference]) -> dict[str, str]:
    """Path -> the words on that box in the reference's figure."""
    return {
        d.reference_path: _REFERENCE_MARKS[d.kind] for d in differences if d.reference_path and d.kind in _REFERENCE_MARKS
    }


def type_colour(type_name: str) -> str:
    """The colour of a Variable type: fixed for nnx's own, a stable pick from a palette for others."""
    if type_name in TYPE_COLOURS:
        return TYPE_COLOURS[type_name]
    return OTHER_COLOURS[sum(map(ord, type_name)) % len(OTHER_COLOURS)]


def state_figure(state: ModelState, title: str, marks: Mapping[str, str] | None = None) -> go.Figure:
    """A treemap of the state; boxes whose path is in `marks` are outlined in red and say why."""
    marks = marks or {}
    nodes = _Nodes(_text(state.module or "module"))
    for variable in _unique(state.variables):
        nodes.add(variable, marks.get(variable.path))
    for path, words in marks.items():
        nodes.mark(path, words)
    trace = go.Treemap(
        ids=nodes.ids,
        parents=nodes.parents,
        labels=nodes.labels,
        values=nodes.values(),
        branchvalues="total",
        hovertext=nodes.hover,
        hoverinfo="text",
        marker={"colors": nodes.colours, "line": {"color": nodes.line_colours, "width": nodes.line_widths}},
        textinfo="label",
        sort=False,
    )
    fig = go.Figure(trace)
    fig.update_layout(title={"text": _title(state, title), "font": {"size": 14}}, height=HEIGHT,
                      margin={"l": 4, "r": 4, "t": 56, "b": 4})
    return fig


def _title(state: ModelState, title: str) -> str:
    notes = []
    if state.modules > 1:
        notes.append(f"the largest of {state.modules} separate modules")
    if state.truncated:
        notes.append(f"the first {len(state.variables)} of {state.total} Variables")
    if state.traced:
        notes.append("built inside a transform such as nnx.vmap: the shapes of one call, no values")
    if not state.variables:
        notes.append("it holds no Variables")
    return f"{title}: {_text(state.module or 'module')}" + (f"<br><sup>{'; '.join(notes)}</sup>" if notes else "")


def _unique(variables: tuple[StateVariable, ...]) -> list[StateVariable]:
    seen: set[str] = set()
    return [v for v in variables if not (v.path in seen or seen.add(v.path))]


class _Nodes:
    """The treemap's parallel lists, with a box for every path prefix."""

    def __init__(self, module: str) -> None:
        self.ids = [ROOT_ID]
        self.parents = [""]
        self.labels = [module]
        self.hover = [module]
        self.colours = [GROUP_COLOUR]
        self.line_colours = ["#FFFFFF"]
        self.line_widths = [1.0]
        self.sizes = [0]
        self._index = {ROOT_ID: 0}

    def add(self, variable: StateVariable, mark: str | None) -> None:
        parts = variable.path.split("/")
        parent = ROOT_ID
        for depth in range(1, len(parts)):
            parent = self._group("/".join(parts[:depth]), parent, parts[depth - 1])
        node_id = "p:" + variable.path
        if node_id in self._index:
            return  # a group of the same name already holds other Variables
        label = f"{_text(parts[-1])}<br>{_text(variable.type)} {variable.shape_text}"
        self._append(node_id, parent, label, _hover(variable), type_colour(variable.type), max(variable.size or 1, 1))
        if mark:
            self.mark(variable.path, mark)

    def mark(self, path: str, words: str) -> None:
        index = self._index.get("p:" + path)
        if index is None:
            return
        if self.line_colours[index] != MARK_COLOUR:
            self.labels[index] += f"<br><b>✗ {_text(words)}</b>"
            self.hover[index] += f"<br><b>{_text(words)}</b>"
        self.line_colours[index] = MARK_COLOUR
        self.line_widths[index] = 4.0

    def values(self) -> list[int]:
        totals = list(self.sizes)
        # Children come after their parents: adding from the end gives each group its whole subtree.
        for index in range(len(self.ids) - 1, 0, -1):
            totals[self._index[self.parents[index]]] += totals[index]
        return totals

    def _group(self, path: str, parent: str, name: str) -> str:
        node_id = "p:" + path
        if node_id not in self._index:
            self._append(node_id, parent, _text(name), _text(path), GROUP_COLOUR, 0)
        return node_id

    def _append(self, node_id: str, parent: str, label: str, hover: str, colour: str, size: int) -> None:
        self._index[node_id] = len(self.ids)
        self.ids.append(node_id)
        self.parents.append(parent)
        self.labels.append(label)
        self.hover.append(hover)
        self.colours.append(colour)
        self.line_colours.append("#FFFFFF")
        self.line_widths.append(1.0)
        self.sizes.append(size)


def _text(text: str) -> str:
    # Paths and type names come from the learner's code; plotly reads a few HTML tags in labels.
    return html.escape(text, quote=False)


def _hover(variable: StateVariable) -> str:
    lines = [_text(variable.path), _text(f"{variable.type}, shape {variable.shape_text}, {variable.dtype or 'no dtype'}")]
    if variable.size is not None:
        lines.append(f"{variable.size:,} element{'s' if variable.size != 1 else ''}")
    if variable.mean is not None:
        lines.append(f"min {variable.min:.4g}, max {variable.max:.4g}, mean {variable.mean:.4g}")
    return "<br>".join(lines)
