"""Frames from a worker cut down to what the judge reads, each field of the type it expects.

The worker runs the learner's code, so everything it writes is as untrusted as the code.
"""

from __future__ import annotations

from typing import Any

from playground.sandbox.panel_description import checked_recording
from playground.sandbox.protocol import Frame, HandBack
from playground.sandbox.state_description import checked_state

MAX_OUTPUT_PARTS = 16


def handed_back_reason(frame: dict[str, Any]) -> HandBack:
    """Why a template's worker handed its job back, from a frame its (untrusted) process wrote."""
    reason = frame.get("reason")
    return HandBack(reason) if reason in (HandBack.COMPILE, HandBack.STALL) else HandBack.CLAIMED


def checked_frame(frame: dict[str, Any], only: set[str] | None = None) -> dict[str, Any]:
    """A worker's frame cut down to the fields the grader reads, each of the type it expects.

    The worker runs the learner's code, so its frames are as untrusted as the code. With `only`,
    just the results of those tests are kept, and no warnings.
    """
    warnings = frame.get("warnings") if isinstance(frame.get("warnings"), list) and only is None else []
    checked: dict[str, Any] = {
        "type": frame.get("type"),
        "more": frame.get("more") is True,
        "warnings": [w for w in warnings if isinstance(w, str)],
    }
    for count in ("compiles", "cache_reads"):  # cost only, for the benchmark: never part of a verdict
        if _size(frame.get(count)):
            checked[count] = frame[count]
    if frame.get("type") == Frame.LOAD_ERROR:
        checked["kind"] = frame.get("kind") if isinstance(frame.get("kind"), str) else None
        checked["error"] = _flat(frame["error"]) if isinstance(frame.get("error"), dict) else None
        return checked
    results = []
    for item in frame.get("results") if isinstance(frame.get("results"), list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        if only is not None and item["name"] not in only:
            continue
        result: dict[str, Any] = {"name": item["name"]}
        if isinstance(item.get("output"), dict):
            result["output"] = _flat(item["output"])
        if isinstance(item.get("outputs"), list) and len(item["outputs"]) <= MAX_OUTPUT_PARTS:
            result["outputs"] = [_flat(part) if isinstance(part, dict) else {} for part in item["outputs"]]
        if isinstance(item.get("error"), dict):
            result["error"] = _flat(item["error"])
        params = item.get("params") if isinstance(item.get("params"), list) else []
        # A shape of anything but sizes once made the grader compute "ab" * 10**10 in the judge.
        result["params"] = [_flat(p) for p in params if isinstance(p, dict) and _is_shape(p.get("shape"))]
        state = checked_state(item.get("state")) if only is None else None  # hidden tests' state stays in
        if state is not None:
            result["state"] = state
        panels = checked_recording(item.get("panels")) if only is None else None  # the problem's own panels
        if panels is not None:
            result["panels"] = panels
        results.append(result)
    checked["results"] = results
    return checked


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _flat(described: dict[str, Any]) -> dict[str, Any]:
    # The worker only sends scalars and flat lists of numbers; deeper values could only be hostile.
    return {k: v for k, v in described.items() if _scalar(v) or (isinstance(v, list) and all(map(_number, v)))}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_shape(shape: Any) -> bool:
    return isinstance(shape, list) and len(shape) <= 8 and all(_size(n) for n in shape)


def _size(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1 << 31
