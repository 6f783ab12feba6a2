"""Each problem's own panels as figures: the learner's values beside the reference's, drawn by kind.

Figures are plain dicts (plotly's JSON), built without plotly's validating objects, and every text
in them is escaped (names can come from the learner's code).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from playground.problems.panels import Chart
from playground.web.figures import DIFFERENCE_SCALE, EXPECTED_COLOUR, KERNEL_SCALE, LEARNER_COLOUR, escaped

HEIGHT = 340
MASKED_COLOUR = "#D9D9D9"
MARK_COLOUR = "#D62728"
SERIES_COLOURS = ("#636EFA", "#EF553B", "#00CC96", "#AB63FA", "#FFA15A", "#19D3F3", "#FF6692", "#B6E880")
TEXT_CELLS_MAX = 36


def chart_figure(chart: Chart, test_name: str) -> dict[str, Any]:
    """One chart as a plotly figure dict."""
    draw = {"heatmaps": _heatmaps, "bars": _bars, "lines": _lines, "grid": _grid}.get(chart.kind, _bars)
    figure = draw(chart)
    layout = figure.setdefault("layout", {})
    layout.setdefault("height", HEIGHT)
    layout["title"] = {"text": f"{escaped(chart.title)}, test {escaped(test_name)}", "font": {"size": 15}}
    layout.setdefault("margin", {"l": 10, "r": 10, "t": 70, "b": 10})
    return figure


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _matrix(rows: Sequence | None) -> list[list[float | None]] | None:
    if not rows or not all(isinstance(r, Sequence) and len(r) > 0 for r in rows):
        return None
    return [[_finite(v) for v in row] for row in rows]


def _vector(values: Sequence | None) -> list[float | None] | None:
    if values is None:
        return None
    return [_finite(v) for v in values]


def _range(chart: Chart, grids: list[list[list[float | None]]]) -> tuple[float, float]:
    if chart.value_range is not None:
        return chart.value_range
    values = [v for grid in grids for row in grid for v in row if v is not None]
    if not values:
        return -1.0, 1.0
    low, high = min(values), max(values)
    return (low - 1.0, high + 1.0) if low == high else (low, high)


def _axis_pair(index: int, domain: tuple[float, float], chart: Chart, first: bool, square: bool) -> dict[str, Any]:
    suffix = "" if index == 1 else str(index)
    x_axis: dict[str, Any] = {"domain": list(domain), "anchor": f"y{suffix}", "title": {"text": escaped(chart.x_title)}}
    y_axis: dict[str, Any] = {"anchor": f"x{suffix}", "autorange": "reversed",
                              "title": {"text": escaped(chart.y_title) if first else ""}}
    if square:
        y_axis.update(scaleanchor=f"x{suffix}", constrain="domain")
        x_axis["constrain"] = "domain"
    return {f"xaxis{suffix}": x_axis, f"yaxis{suffix}": y_axis}


def _slot_text(text: str, domain: tuple[float, float]) -> dict[str, Any]:
    words = escaped(text)
    lines, line = [], ""
    for word in words.split():
        if len(line) + len(word) > 34 and line:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    lines.append(line)
    return {"text": "<br>".join(lines), "xref": "paper", "yref": "paper", "x": (domain[0] + domain[1]) / 2, "y": 0.5,
            "showarrow": False, "font": {"size": 12}}


def _heat(z: list, index: int, name: str, low: float, high: float, scale: Any, colourbar_x: float | None,
          extra: dict | None = None) -> dict[str, Any]:
    suffix = "" if index == 1 else str(index)
    rows, cols = len(z), len(z[0])
    trace = {
        "type": "heatmap", "z": z, "zmin": low, "zmax": high, "colorscale": scale, "name": name,
        "xaxis": f"x{suffix}", "yaxis": f"y{suffix}", "showscale": colourbar_x is not None,
        "hovertemplate": f"[%{{y}}, %{{x}}]<br>{name}: %{{z}}<extra></extra>",
    }
    if colourbar_x is not None:
        trace["colorbar"] = {"x": colourbar_x, "len": 0.9, "thickness": 10}
    if rows * cols <= TEXT_CELLS_MAX:
        trace["texttemplate"] = "%{z:.3f}"
    trace.update(extra or {})
    return trace


def _masked_overlay(masked: list[list[bool]], index: int) -> dict[str, Any]:
    cells = [[1.0 if cell else None for cell in row] for row in masked]
    words = [["masked" if cell and len(masked) <= 6 else "" for cell in row] for row in masked]
    return _heat(cells, index, "masked", 0.0, 1.0, [[0, MASKED_COLOUR], [1, MASKED_COLOUR]], None,
                 {"hovertemplate": "[%{y}, %{x}]: masked<extra></extra>", "text": words, "texttemplate": "%{text}"})


def _heatmaps(chart: Chart) -> dict[str, Any]:
    mine, ref = _matrix(chart.learner), _matrix(chart.reference)
    masked = chart.masked if ref is not None and chart.masked and len(chart.masked) == len(ref) else None
    square = masked is not None
    domains = ((0.0, 0.28), (0.36, 0.64), (0.72, 1.0))
    layout: dict[str, Any] = {"annotations": [], "plot_bgcolor": "white"}
    data: list[dict[str, Any]] = []
    low, high = _range(chart, [g for g in (mine, ref) if g is not None])
    titles = ("Yours", "Reference", "Difference (yours − reference)")
    if ref is not None:
        shown = [[None if masked and masked[i][j] else v for j, v in enumerate(row)] for i, row in enumerate(ref)]
        data.append(_heat(shown, 2, "reference", low, high, KERNEL_SCALE, 0.65))
        if masked:
            data.append(_masked_overlay(masked, 2))
    if mine is not None:
        hidden = None
        if masked and len(mine) == len(masked) and all(len(r) == len(m) for r, m in zip(mine, masked, strict=True)):
            # The learner's cells are masked only where theirs are zero too: weight on the future shows.
            hidden = [[bool(masked[i][j] and v == 0) for j, v in enumerate(row)] for i, row in enumerate(mine)]
        shown = [[None if hidden and hidden[i][j] else v for j, v in enumerate(row)] for i, row in enumerate(mine)]
        data.append(_heat(shown, 1, "yours", low, high, KERNEL_SCALE, None))
        if hidden:
            data.append(_masked_overlay(hidden, 1))
    else:
        layout["annotations"].append(_slot_text(chart.note or "Yours is not available for this test.", domains[0]))
    if mine is not None and ref is not None and len(mine) == len(ref) and all(len(a) == len(b) for a, b in zip(mine, ref, strict=True)):
        diff = [[None if a is None or b is None else a - b for a, b in zip(ra, rb, strict=True)] for ra, rb in zip(mine, ref, strict=True)]
        largest = max((abs(v) for row in diff for v in row if v is not None), default=0.0) or 1e-6
        data.append(_heat(diff, 3, "difference", -largest, largest, DIFFERENCE_SCALE, 1.01, {"zmid": 0.0}))
        titles = (*titles[:2], f"Difference (yours − reference), largest |Δ| {largest:.3g}")
    elif mine is not None:
        layout["annotations"].append(_slot_text("Yours and the reference have different shapes, so they cannot be subtracted.", domains[2]))
    drawn = {trace["xaxis"] for trace in data}
    for index, domain in enumerate(domains, start=1):
        layout.update(_axis_pair(index, domain, chart, index == 1, square))
        if ("x" if index == 1 else f"x{index}") not in drawn:  # an empty slot holds its reason, not axes
            suffix = "" if index == 1 else str(index)
            layout[f"xaxis{suffix}"]["visible"] = layout[f"yaxis{suffix}"]["visible"] = False
        layout["annotations"].append({"text": titles[index - 1], "xref": "paper", "yref": "paper", "x": sum(domain) / 2,
                                      "y": 1.02, "yanchor": "bottom", "showarrow": False, "font": {"size": 13}})
    return {"data": data, "layout": layout}


def _bar_trace(values: list[float | None], labels: list[str], name: str, colour: str, marked: Sequence[int]) -> dict[str, Any]:
    marks = set(marked)
    return {
        "type": "bar", "x": labels, "y": values, "name": name,
        "marker": {
            "color": colour,
            "line": {"color": [MARK_COLOUR if i in marks else colour for i in range(len(values))],
                     "width": [3 if i in marks else 0 for i in range(len(values))]},
            "pattern": {"shape": ["x" if i in marks else "" for i in range(len(values))]},
        },
        "hovertemplate": f"{name}: %{{y}}<extra></extra>",
    }


def _bars(chart: Chart) -> dict[str, Any]:
    mine, ref = _vector(chart.learner), _vector(chart.reference)
    count = max(len(mine or []), len(ref or []))
    labels = [escaped(n) for n in chart.names[:count]] + [str(j) for j in range(len(chart.names), count)]
    data = []
    marked_words = " (marked ×: zero)" if chart.marked_learner or chart.marked_reference else ""
    if mine is not None:
        data.append(_bar_trace(mine, labels[: len(mine)], f"Yours{marked_words}", LEARNER_COLOUR, chart.marked_learner))
    if ref is not None:
        data.append(_bar_trace(ref, labels[: len(ref)], f"Reference{marked_words}", EXPECTED_COLOUR, chart.marked_reference))
    layout = {
        "barmode": "group", "xaxis": {"title": {"text": escaped(chart.x_title)}, "type": "category"},
        "yaxis": {"title": {"text": escaped(chart.y_title)}},
        "legend": {"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        "hovermode": "x unified",
    }
    return {"data": data, "layout": layout}


def _lines(chart: Chart) -> dict[str, Any]:
    data = []
    for who, series_list, dash in (("yours", chart.learner, "solid"), ("reference", chart.reference, "dash")):
        for number, series in enumerate(series_list or []):
            values = _vector(series if isinstance(series, Sequence) else [series]) or []
            name = chart.names[number] if number < len(chart.names) else f"series {number}"
            labels = list(chart.x_labels[: len(values)]) + [str(k) for k in range(len(chart.x_labels), len(values))]
            colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
            data.append({
                "type": "scatter", "mode": "lines+markers", "x": [escaped(v) for v in labels], "y": values,
                "name": f"{escaped(name)}, {who}", "line": {"color": colour, "dash": dash, "width": 3 if who == "yours" else 2},
                "marker": {"symbol": "circle" if who == "yours" else "x", "size": 8},
                "hovertemplate": f"{escaped(name)}, {who}: %{{y}}<extra></extra>",
            })
    layout = {
        "xaxis": {"title": {"text": escaped(chart.x_title)}, "type": "category"},
        "yaxis": {"title": {"text": escaped(chart.y_title)}},
        "legend": {"title": {"text": "solid: yours, dashed: reference"}},
    }
    return {"data": data, "layout": layout}


def _grid(chart: Chart) -> dict[str, Any]:
    mine = [_matrix(m) for m in chart.learner] if chart.learner else None
    ref = [_matrix(m) for m in chart.reference] if chart.reference else []
    columns = max(len(ref), len(mine or []), 1)
    grids = [g for g in (ref + (mine or [])) if g is not None]
    low, high = _range(chart, grids)
    gap = 0.04
    width = (1.0 - gap * (columns - 1)) / columns
    layout: dict[str, Any] = {"annotations": [], "height": 460}
    data = []
    for row, (who, images, y_domain) in enumerate((("yours", mine, (0.55, 0.95)), ("reference", ref, (0.0, 0.4)))):
        for column in range(columns):
            index = row * columns + column + 1
            suffix = "" if index == 1 else str(index)
            x_domain = (column * (width + gap), column * (width + gap) + width)
            layout[f"xaxis{suffix}"] = {"domain": list(x_domain), "anchor": f"y{suffix}", "showticklabels": False}
            layout[f"yaxis{suffix}"] = {"domain": list(y_domain), "anchor": f"x{suffix}", "autorange": "reversed",
                                        "showticklabels": False, "scaleanchor": f"x{suffix}", "constrain": "domain"}
            image = images[column] if images is not None and column < len(images) else None
            if image is not None:
                last = row == 1 and column == columns - 1
                data.append(_heat(image, index, who, low, high, KERNEL_SCALE, 1.01 if last else None))
            name = chart.names[column] if column < len(chart.names) else str(column)
            layout["annotations"].append({"text": f"{'Yours' if row == 0 else 'Reference'}: {escaped(name)}",
                                          "xref": "paper", "yref": "paper", "x": sum(x_domain) / 2, "y": y_domain[1] + 0.01,
                                          "yanchor": "bottom", "showarrow": False, "font": {"size": 12}})
        if images is None:
            layout["annotations"].append(_slot_text(chart.note or "Yours is not available.", (0.0, 1.0)) | {"y": 0.75})
    return {"data": data, "layout": layout}
