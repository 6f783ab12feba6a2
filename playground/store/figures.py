"""The chart data kept with each submission: Figures as compact JSON (rounded, capped) and back."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from playground.judge.model_state import ModelState
from playground.judge.verdict import Figures, Panel

MAX_FIGURES_BYTES = 64 * 1024  # all figures of one submission, as stored JSON
MAX_ARRAY_VALUES = 4_096  # one kernel, output or panel; a larger one is not kept
MAX_STATE_BYTES = 16 * 1024  # one model-state description; a larger one is not kept
SIGNIFICANT_DIGITS = 5  # plenty for a colour or a bar height
_FORMAT = f"%.{SIGNIFICANT_DIGITS}g"
_TITLE_CHARS = 200
_NOTE_CHARS = 1_000
_MAX_PANELS = 20
_TOO_LARGE = "This chart's numbers were too many to keep with the submission."


def figures_to_data(figures: Sequence[Figures]) -> list[dict[str, Any]]:
    """Figures as plain JSON-ready dicts: floats rounded, non-finite values as null, big arrays dropped."""
    out: list[dict[str, Any]] = []
    size = 2
    for figure in figures:
        item = _compact_figure(figure)
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
    except ValueError:
        return []


def _compact_figure(figure: Figures) -> dict[str, Any]:
    learner, reference = _array(figure.learner_kernel), _array(figure.reference_kernel)
    note = figure.kernel_note
    if (learner is None and figure.learner_kernel is not None) or (
        reference is None and figure.reference_kernel is not None
    ):
        note = _TOO_LARGE
    return {
        "test_name": str(figure.test_name),
        "learner_kernel": learner,
        "reference_kernel": reference,
        "kernel_note": note,
        "got": _array(figure.got),
        "expected": _array(figure.expected),
        "panels": [
            {
                "kind": p.kind,
                "title": p.title,
                "learner": _array(p.learner),
                "reference": _array(p.reference),
                "note": p.note,
            }
            for p in figure.panels
        ],
        "learner_state": _state(figure.learner_state),
        "reference_state": _state(figure.reference_state),
    }


def _state(state: ModelState | None) -> dict[str, Any] | None:
    if state is None:
        return None
    data = state.to_dict()
    return data if len(json.dumps(data, separators=(",", ":"))) <= MAX_STATE_BYTES else None


def _array(values: Any) -> Any:
    if values is None:
        return None
    counted = [0]
    compact = _round(values, counted)
    return compact if counted[0] <= MAX_ARRAY_VALUES else None


def _round(value: Any, counted: list[int]) -> Any:
    if type(value) is float:  # the common case first: this runs once per number
        counted[0] += 1
        return float(_FORMAT % value) if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_round(v, counted) for v in value]
    counted[0] += 1
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(_FORMAT % float(value))


def _figure(item: object) -> Figures | None:
    if not isinstance(item, dict) or not isinstance(item.get("test_name"), str):
        return None
    panels = [
        Panel(p["kind"][:40], str(p.get("title", ""))[:_TITLE_CHARS], _list(p.get("learner")), _list(p.get("reference")),
              _text(p.get("note")))
        for p in (item.get("panels") or [])[:_MAX_PANELS]
        if isinstance(p, dict) and isinstance(p.get("kind"), str)
    ]
    return Figures(
        test_name=item["test_name"][:_TITLE_CHARS],
        learner_kernel=_list(item.get("learner_kernel")),
        reference_kernel=_list(item.get("reference_kernel")),
        kernel_note=_text(item.get("kernel_note")),
        got=_list(item.get("got")),
        expected=_list(item.get("expected")),
        panels=panels,
        learner_state=ModelState.from_dict(item.get("learner_state")) if item.get("learner_state") else None,
        reference_state=ModelState.from_dict(item.get("reference_state")) if item.get("reference_state") else None,
    )


def _list(value: object) -> list | None:
    # Numbers only, at most MAX_ARRAY_VALUES of them: anything else in a list becomes a gap.
    return _array(value) if isinstance(value, list) else None


def _text(value: object) -> str | None:
    return value[:_NOTE_CHARS] if isinstance(value, str) else None
