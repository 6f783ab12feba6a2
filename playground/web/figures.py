"""Plotly figures drawn from a verdict's Figures: kernels as heatmaps, outputs as grouped bars."""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.judge.verdict import Figures, Panel


def escaped(text: object) -> str:
    """Text for a plotly title, label or annotation: plotly reads <a href>, <b> and other tags in them."""
    return html.escape(str(text), quote=False)


KERNEL_SCALE = "Viridis"
DIFFERENCE_SCALE = "RdBu_r"
LEARNER_COLOUR = "#636EFA"
EXPECTED_COLOUR = "#B0B7C3"
TEXT_CELLS_MAX = 36  # small kernels get their values written in the cells
HEIGHT = 360


def kernel_figure(figures: Figures, label: str = "kernel") -> go.Figure | None:
    """Heatmaps of the learner's kernel, the reference kernel and their difference, or None without kernels."""
    mine, ref = _grid(figures.learner_kernel), _grid(figures.reference_kernel)
    if ref is None and mine is None:
        return None
    if mine is None or ref is None:
        return _one_kernel(mine, ref, figures.kernel_note, label)
    zmin, zmax = _shared_range(mine + ref)
    same_shape = _shape(mine) == _shape(ref)
    diff, largest = _difference(mine, ref) if same_shape else ([], 0.0)
    third = f"Difference (yours − reference), largest |Δ| {largest:.3g}" if same_shape else "Difference"
    label = escaped(label)
    fig = make_subplots(rows=1, cols=3, subplot_titles=[f"Your {label}", f"Reference {label}", third],
                        horizontal_spacing=0.1)
    for col, (grid, who) in enumerate(((mine, "yours"), (ref, "reference")), start=1):
        fig.add_trace(_kernel_trace(grid, who, zmin, zmax, show_scale=col == 2, bar_x=_bar_x(fig, col)), 1, col)
    if same_shape:
        fig.add_trace(_difference_trace(diff, mine, ref, largest, _bar_x(fig, 3)), 1, 3)
        _style_axes(fig, [mine, ref, mine])
    else:
        _style_axes(fig, [mine, ref])
        _text_in_slot(fig, 3, figures.kernel_note or "The kernels have different shapes, so they cannot be subtracted.")
    if figures.kernel_note and same_shape:
        fig.update_layout(title={"text": escaped(figures.kernel_note), "font": {"size": 13}})
    fig.update_layout(height=HEIGHT, margin={"l": 10, "r": 10, "t": 80 if figures.kernel_note else 60, "b": 10})
    return fig


def output_figure(figures: Figures, label: str = "Output vector") -> go.Figure | None:
    """Grouped bars of the learner's output against the expected one, or None when neither exists."""
    got, expected = _clean(figures.got), _clean(figures.expected)
    if got is None and expected is None:
        return None
    fig = go.Figure()
    if got is not None:
        fig.add_trace(_bar(got, "Your output", LEARNER_COLOUR))
    if expected is not None:
        fig.add_trace(_bar(expected, "Expected", EXPECTED_COLOUR))
    note = None
    if got is None:
        note = "Your code returned no usable output for this test, so only the expected values are drawn."
    elif any(v is None for v in got):
        note = "Some of your values are NaN or infinite; they are left out of the bars."
    title = f"{escaped(label)}, test {escaped(figures.test_name)}" + (f"<br><sup>{note}</sup>" if note else "")
    fig.update_layout(
        barmode="group",
        height=HEIGHT,
        title={"text": title},
        xaxis_title="output index j",
        yaxis_title="value",
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        margin={"l": 10, "r": 10, "t": 80 if note else 60, "b": 10},
        hovermode="x unified",
    )
    return fig


def panel_figure(panel: Panel, test_name: str) -> go.Figure | None:
    """One more chart: another parameter or answer part, as heatmaps or bars like the main ones."""
    if panel.kind == "heatmaps":
        as_kernel = Figures(test_name, panel.learner, panel.reference, panel.note, None, None)
        return kernel_figure(as_kernel, label=panel.title)
    as_output = Figures(test_name, None, None, None, _flat(panel.learner), _flat(panel.reference))
    return output_figure(as_output, label=panel.title[:1].upper() + panel.title[1:])


def _flat(values: Sequence | None) -> list | None:
    if values is None:
        return None
    flat: list = []
    for value in values:
        flat.extend(_flat(value) if isinstance(value, Sequence) else [value])
    return flat


def _grid(rows: Sequence[Sequence[float]] | None) -> list[list[float | None]] | None:
    if not rows or not all(isinstance(r, Sequence) and len(r) > 0 for r in rows):
        return None
    return [[_finite(v) for v in row] for row in rows]


def _clean(values: Sequence[float] | None) -> list[float | None] | None:
    return None if values is None else [_finite(v) for v in values]


def _finite(value: object) -> float | None:
    # Plotly draws None as a gap; NaN or infinity would break the shared colour scale.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _shape(grid: list[list[float | None]]) -> tuple[int, int]:
    return len(grid), len(grid[0])


def _shared_range(rows: list[list[float | None]]) -> tuple[float, float]:
    values = [v for row in rows for v in row if v is not None]
    if not values:
        return -1.0, 1.0
    low, high = min(values), max(values)
    if low == high:
        return low - 1.0, high + 1.0
    return low, high


def _bar_x(fig: go.Figure, col: int) -> float:
    axis = fig.layout["xaxis" if col == 1 else f"xaxis{col}"]
    return axis.domain[1] + 0.01


def _text(grid: list[list[float | None]]) -> dict:
    rows, cols = _shape(grid)
    return {"texttemplate": "%{z:.3f}"} if rows * cols <= TEXT_CELLS_MAX else {}


def _kernel_trace(grid: list[list[float | None]], who: str, zmin: float, zmax: float, *,
                  show_scale: bool, bar_x: float) -> go.Heatmap:
    return go.Heatmap(
        z=grid,
        zmin=zmin,
        zmax=zmax,
        colorscale=KERNEL_SCALE,
        showscale=show_scale,
        colorbar={"x": bar_x, "len": 0.9, "thickness": 12, "title": {"text": "kernel"}},
        name=who,
        hovertemplate=f"kernel[%{{y}}, %{{x}}]<br>{who}: %{{z}}<extra></extra>",
        **_text(grid),
    )


def _difference_trace(diff: list[list[float | None]], mine: list[list[float | None]],
                      ref: list[list[float | None]], largest: float, bar_x: float) -> go.Heatmap:
    bound = largest if largest > 0 else 1e-6
    custom = [[[a, b] for a, b in zip(ra, rb, strict=True)] for ra, rb in zip(mine, ref, strict=True)]
    return go.Heatmap(
        z=diff,
        zmin=-bound,
        zmax=bound,
        zmid=0.0,
        colorscale=DIFFERENCE_SCALE,
        customdata=custom,
        colorbar={"x": bar_x, "len": 0.9, "thickness": 12, "title": {"text": "Δ"}},
        name="difference",
        hovertemplate=(
            "kernel[%{y}, %{x}]<br>yours: %{customdata[0]}<br>reference: %{customdata[1]}"
            "<br>difference: %{z}<extra></extra>"
        ),
        **_text(diff),
    )


def _difference(mine: list[list[float | None]], ref: list[list[float | None]]) -> tuple[list, float]:
    diff = [[_minus(a, b) for a, b in zip(ra, rb, strict=True)] for ra, rb in zip(mine, ref, strict=True)]
    return diff, max((abs(v) for row in diff for v in row if v is not None), default=0.0)


def _one_kernel(mine: list[list[float | None]] | None, ref: list[list[float | None]] | None,
                note: str | None, label: str = "kernel") -> go.Figure:
    # The missing kernel's slot holds the reason, so the learner sees why nothing is drawn there.
    label = escaped(label)
    fig = make_subplots(rows=1, cols=2, subplot_titles=[f"Your {label}", f"Reference {label}"],
                        horizontal_spacing=0.15)
    grid, col = (ref, 2) if mine is None else (mine, 1)
    zmin, zmax = _shared_range(grid)
    fig.add_trace(_kernel_trace(grid, "reference" if mine is None else "yours", zmin, zmax, show_scale=True,
                                bar_x=_bar_x(fig, col)), 1, col)
    _style_axes(fig, [grid], first_col=col)
    missing = 1 if mine is None else 2
    fallback = f"Your {label} is not available for this test." if mine is None else f"The reference {label} is not available."
    _text_in_slot(fig, missing, note or fallback)
    fig.update_layout(height=HEIGHT, margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig


def _text_in_slot(fig: go.Figure, col: int, text: str) -> None:
    fig.update_xaxes(visible=False, row=1, col=col)
    fig.update_yaxes(visible=False, row=1, col=col)
    low, high = fig.layout["xaxis" if col == 1 else f"xaxis{col}"].domain
    fig.add_annotation(text="<br>".join(escaped(line) for line in textwrap.wrap(text, 42)), xref="paper", yref="paper", x=(low + high) / 2,
                       y=0.5, xanchor="center", showarrow=False, align="center", font={"size": 13})


def _style_axes(fig: go.Figure, grids: list[list[list[float | None]]], first_col: int = 1) -> None:
    for col, grid in enumerate(grids, start=first_col):
        rows, cols = _shape(grid)
        fig.update_xaxes(title_text="output j", dtick=1 if cols <= 16 else None, row=1, col=col)
        # Row 0 at the top, as a matrix is printed.
        fig.update_yaxes(title_text="input i" if col == first_col else None, autorange="reversed",
                         dtick=1 if rows <= 16 else None, row=1, col=col)


def _bar(values: list[float | None], name: str, colour: str) -> go.Bar:
    labels = [f"out[{j}]" for j in range(len(values))]
    return go.Bar(
        x=labels,
        y=values,
        name=name,
        marker_color=colour,
        hovertemplate=f"{name}: %{{y}}<extra></extra>",
    )
