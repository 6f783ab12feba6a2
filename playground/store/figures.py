"""The chart data kept with each submission: the judge's own figure dicts, made compact and capped, and back.

A figure is written by the judge's serialiser (playground.judge.verdict.figures_to_dict, the one the
queue sends too) and read back by its figures_from_dict. The store adds only what keeping it needs:
numbers rounded to SIGNIFICANT_DIGITS, non-finite values as null, caps on each array, each model
state and the whole submission, and, on the way back, a check of every field, since a row may be
damaged or come from an imported file. Rows written before the problems' own charts were kept
have no `charts` and read back with none.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from playground.judge.verdict import Figures, figures_from_dict, figures_to_dict

MAX_FIGURES_BYTES = 64 * 1024  # all figures of one submission, as stored JSON
MAX_ARRAY_VALUES = 4_096  # one kernel, output, panel or chart side; a larger one is not kept
MAX_STATE_BYTES = 16 * 1024  # one model-state description; a larger one is not kept
SIGNIFICANT_DIGITS = 5  # plenty for a colour or a bar height
_FORMAT = f"%.{SIGNIFICANT_DIGITS}g"
_TITLE_CHARS = 200
_NOTE_CHARS = 1_000
_KIND_CHARS = 40
_MAX_PANELS = 20  # of each list: a test's extra panels, and its problem's own charts
_TOO_LARGE = "This chart's numbers were too many to keep with the submission."
_ARRAYS = ("learner_kernel", "reference_kernel", "got", "expected")
_SIDES = ("learner", "reference")


def figures_to_data(figures: Sequence[Figures]) -> list[dict[str, Any]]:
    """Figures as plain JSON-ready dicts: floats rounded, non-finite values as null, big arrays dropped."""
    out: list[dict[str, Any]] = []
    size = 2
    for figure in figures:
        item = _compact(figures_to_dict(figure))
        size += len(json.dumps(item, separators=(",", ":"))) + 1
        if size > MAX_FIGURES_BYTES:
            break  # keep the first tests' charts whole rather than every chart cut
        out.append(item)
    return out


def figures_to_text(figures: Sequence[Figures] | None) -> str | None:
    """The compact JSON the store keeps, or None when there is nothing to keep."""
    data = figures_to_data(figures or [])
    return json.dumps(data, separators=(",", ":")) if data else None


def figures_from_data(data: object) -> list[Figures]:
    """Figures rebuilt from figures_to_data's output; anything malformed is skipped, never raised."""
    if not isinstance(data, list):
        return []
    rebuilt = [_figure(item) for item in data]
    return [f for f in rebuilt if f is not None]


def figures_from_text(text: str | None) -> list[Figures]:
    """Figures from the stored JSON; [] for old rows (None) or unreadable text."""
    if not text:
        return []
    try:
        return figures_from_data(json.loads(text))
    except (ValueError, RecursionError):
        return []


# ----- writing: the judge's dict, compact ------------------------------------------------------


def _compact(item: dict[str, Any]) -> dict[str, Any]:
    compact = _arrays_kept(item, ("learner_kernel", "reference_kernel"), "kernel_note")
    compact["got"], compact["expected"] = _array(item["got"]), _array(item["expected"])
    compact["panels"] = [_arrays_kept(panel, _SIDES, "note") for panel in item["panels"]]
    compact["charts"] = [_compact_chart(chart) for chart in item["charts"]]
    compact["learner_state"] = _state(item["learner_state"])
    compact["reference_state"] = _state(item["reference_state"])
    return compact


def _arrays_kept(item: dict[str, Any], keys: Sequence[str], note: str) -> dict[str, Any]:
    """A copy with those arrays rounded; one too large to keep is left out, and the note says so."""
    kept = dict(item)
    for key in keys:
        kept[key] = _array(item[key])
        if kept[key] is None and item[key] is not None:
            kept[note] = _TOO_LARGE
    return kept


def _compact_chart(chart: dict[str, Any]) -> dict[str, Any]:
    kept = _arrays_kept(chart, _SIDES, "note")
    kept["masked"] = _mask(chart["masked"])
    kept["value_range"] = _range(chart["value_range"])
    return kept


def _state(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    return data if len(json.dumps(data, separators=(",", ":"))) <= MAX_STATE_BYTES else None


def _array(values: Any) -> Any:
    if values is None:
        return None
    counted = [0]
    compact = _round(values, counted)
    return compact if counted[0] <= MAX_ARRAY_VALUES else None


def _round(value: Any, counted: list[int]) -> Any:
    # Anything but a finite number (the judge's "NaN" and "Infinity" spellings included) becomes a gap.
    if type(value) is float:  # the common case first: this runs once per number
        counted[0] += 1
        return float(_FORMAT % value) if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_round(v, counted) for v in value]
    counted[0] += 1
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(_FORMAT % float(value))


# ----- reading: every field checked, then the judge's from-dict --------------------------------


def _figure(item: object) -> Figures | None:
    if not isinstance(item, dict) or not isinstance(item.get("test_name"), str):
        return None
    checked = {
        "test_name": item["test_name"][:_TITLE_CHARS],
        **{key: _list(item.get(key)) for key in _ARRAYS},
        "kernel_note": _text(item.get("kernel_note")),
        "panels": [_panel(p) for p in _with_kind(item.get("panels"))],
        "charts": [_chart(c) for c in _with_kind(item.get("charts"))],
        "learner_state": item.get("learner_state"),  # ModelState.from_dict checks a description
        "reference_state": item.get("reference_state"),
    }
    try:
        return figures_from_dict(checked)
    except (TypeError, ValueError, RecursionError):
        return None


def _with_kind(value: object) -> list[dict[str, Any]]:
    listed = value[:_MAX_PANELS] if isinstance(value, list) else []
    return [p for p in listed if isinstance(p, dict) and isinstance(p.get("kind"), str)]


def _panel(panel: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": panel["kind"][:_KIND_CHARS],
        "title": str(panel.get("title", ""))[:_TITLE_CHARS],
        "learner": _list(panel.get("learner")),
        "reference": _list(panel.get("reference")),
        "note": _text(panel.get("note")),
    }


def _chart(chart: dict[str, Any]) -> dict[str, Any]:
    return _panel(chart) | {
        "names": _labels(chart.get("names")),
        "marked_learner": _indices(chart.get("marked_learner")),
        "marked_reference": _indices(chart.get("marked_reference")),
        "masked": _mask(chart.get("masked")),
        "value_range": _range(chart.get("value_range")),
        "x_title": (_text(chart.get("x_title")) or "")[:_TITLE_CHARS],
        "y_title": (_text(chart.get("y_title")) or "")[:_TITLE_CHARS],
        "x_labels": _labels(chart.get("x_labels")),
    }


def _list(value: object) -> list | None:
    # Numbers only, at most MAX_ARRAY_VALUES of them: anything else in a list becomes a gap.
    return _array(value) if isinstance(value, list) else None


def _text(value: object) -> str | None:
    return value[:_NOTE_CHARS] if isinstance(value, str) else None


def _labels(value: object) -> list[str]:
    listed = value[:MAX_ARRAY_VALUES] if isinstance(value, list) else []
    return [label[:_TITLE_CHARS] if isinstance(label, str) else "" for label in listed]


def _indices(value: object) -> list[int]:
    listed = value[:MAX_ARRAY_VALUES] if isinstance(value, list) else []
    return [i for i in listed if type(i) is int and i >= 0]


def _mask(value: object) -> list[list[bool]] | None:
    """Rows of booleans (a heatmap's masked cells), or None when it is anything else or too large."""
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        return None
    if sum(len(row) for row in value) > MAX_ARRAY_VALUES or not all(type(c) is bool for row in value for c in row):
        return None
    return [list(row) for row in value]


def _range(value: object) -> list[float] | None:
    """A fixed colour range: two finite numbers, low then high; None otherwise."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    low, high = _round(list(value), [0])
    return [low, high] if low is not None and high is not None and low <= high else None
