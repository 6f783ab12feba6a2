"""A problem's own panels: which calls to record (the probes) and how to draw what they recorded.

A problem declares them in `playground/problems/<id>/panels.py` as `PANELS = Panels(...)`; the
registry finds that file by name, so the problem's `__init__.py` does not change. The judge sends
`probes` to the worker (plain data), gets the learner's recording back, records the reference the
same way, and calls `draw` with both: what it returns are the charts the page draws, yours beside
the reference's.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Probes:
    """What the worker records while a visible test runs (see playground.sandbox.panel_description)."""

    modules: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (flax.nnx layer, attributes read after each call)
    functions: tuple[str, ...] = ()  # names in flax.nnx (softmax, relu also in jax.nn; vmap, split, merge)
    own_modules: bool = False  # calls of the module classes the code defines itself

    def to_job(self) -> dict[str, Any]:
        """The probes as the job's plain JSON."""
        return {
            "modules": [[name, list(attributes)] for name, attributes in self.modules],
            "functions": list(self.functions),
            "own_modules": self.own_modules,
        }


@dataclass(frozen=True)
class Chart:
    """One panel: the learner's values beside the reference's, drawn by kind.

    kind: "heatmaps" (matrices: yours, reference, difference), "bars" (vectors side by side),
    "lines" (series over steps: learner and reference are lists of series) or "grid" (a row of
    small images each: learner and reference are lists of matrices, `names` titles the columns).
    """

    kind: str
    title: str
    learner: list[Any] | None  # None: nothing usable from the learner's code; `note` says why
    reference: list[Any] | None
    note: str | None = None
    names: tuple[str, ...] = ()  # series names (lines), column titles (grid), bar labels (bars)
    marked_learner: tuple[int, ...] = ()  # bars: indices drawn marked (e.g. units the ReLU zeroed)
    marked_reference: tuple[int, ...] = ()
    masked: list[list[bool]] | None = None  # heatmaps: cells drawn as masked in the reference
    value_range: tuple[float, float] | None = None  # a fixed colour range, e.g. (0, 1) for weights
    x_title: str = ""
    y_title: str = ""
    x_labels: tuple[str, ...] = ()  # lines: what each step is called (default 0, 1, 2, ...)


@dataclass(frozen=True)
class Event:
    """One recorded call: its kind (layer or function name), input, output and state after it."""

    kind: str
    input: np.ndarray | None
    output: np.ndarray | None
    state: dict[str, np.ndarray | None]
    raised: bool = False
    output_state: dict[str, np.ndarray | None] = field(default_factory=dict)  # a returned Module's Variables
    input_state: dict[str, np.ndarray | None] = field(default_factory=dict)  # a Module passed in


@dataclass(frozen=True)
class Recording:
    """The calls recorded while one test ran, in order (checked JSON read into arrays)."""

    events: tuple[Event, ...] = ()

    def of(self, kind: str) -> list[Event]:
        """The events of one kind, in call order."""
        return [e for e in self.events if e.kind == kind]

    @classmethod
    def from_dict(cls, checked: dict[str, Any] | None) -> Recording | None:
        """From `checked_recording`'s output; None when there is none."""
        if checked is None:
            return None
        events = []
        for event in checked["events"]:
            events.append(
                Event(
                    kind=event["kind"],
                    input=_array(event["input"]),
                    output=_array(event["output"]),
                    state={k: _array(v) for k, v in event["state"].items()},
                    raised=event["raised"],
                    output_state=_module_state(event["output"]),
                    input_state=_module_state(event["input"]),
                )
            )
        return cls(tuple(events))


def _array(value: dict[str, Any] | None) -> np.ndarray | None:
    if not isinstance(value, dict) or "data" not in value:
        return None
    data = [np.nan if v is None else v for v in value["data"]]
    return np.asarray(data, dtype=np.float64).reshape(value["shape"])


def _module_state(value: dict[str, Any] | None) -> dict[str, np.ndarray | None]:
    if not isinstance(value, dict) or not isinstance(value.get("state"), dict):
        return {}
    return {k: _array(v) for k, v in value["state"].items()}


@dataclass(frozen=True)
class PanelInputs:
    """What `draw` gets for one visible test."""

    inputs: dict[str, Any]
    learner: Recording | None  # None: the test did not run or reported nothing
    reference: Recording
    got: list[np.ndarray | None] | None  # the learner's answer parts, None when unusable
    expected: list[np.ndarray]


@dataclass(frozen=True)
class Panels:
    """A problem's declaration: the probes, the drawing, and whether the generic charts still help."""

    probes: Probes
    draw: Callable[[PanelInputs], list[Chart]]
    # The kernel heatmap, "parameter N" charts and extra answer parts were right for the first
    # problems; later ones draw what they teach instead, and keep only the output bars.
    replaces_generic_charts: bool = True


@cache
def panels_for(problem_id: str) -> Panels | None:
    """The problem's declared panels, or None when its folder declares none."""
    try:
        module = importlib.import_module(f"playground.problems.{problem_id}.panels")
    except ModuleNotFoundError as exc:
        if exc.name == f"playground.problems.{problem_id}.panels":
            return None
        raise
    declared = getattr(module, "PANELS", None)
    return declared if isinstance(declared, Panels) else None


def problem_probes(problem_id: str) -> dict[str, Any] | None:
    """The probes the job carries to the worker for this problem (None: it declares no panels)."""
    declared = panels_for(problem_id)
    return declared.probes.to_job() if declared else None


def usable(part: np.ndarray | None, like: np.ndarray) -> np.ndarray | None:
    """The learner's array when it has the reference's shape, else None."""
    return part if part is not None and part.shape == like.shape else None


def got_part(panel: PanelInputs, index: int) -> np.ndarray | None:
    """One part of the learner's answer when it has the expected part's shape."""
    if panel.got is None or index >= len(panel.got):
        return None
    return usable(panel.got[index], panel.expected[index])


def listed(array: np.ndarray | None) -> list[Any] | None:
    """An array as nested lists of floats (None stays None)."""
    if array is None:
        return None
    return array.tolist()
