"""What a problem's own panels need from a run, as plain capped numbers: one event per probed call.

A problem names its probes (sent in the job as plain data, so nothing here imports a problem):
- `modules`: [[class name in flax.nnx, [attribute names read after each call]], ...]: each call of
  that layer is recorded with its input, its output and those attributes (e.g. BatchNorm's mean).
- `functions`: names in flax.nnx (and jax.nn, for `softmax` and `relu`): each call is recorded with
  its first argument and its result; a Module among them is recorded as its Variables' values.
  `vmap` is special: the function nnx.vmap returns is the one recorded (kind `vmap`).
- `own_modules`: each call of a module class defined outside flax (the learner's own) is recorded
  with its non-Param Variables and plain numbers afterwards (e.g. a counter).

One implementation for both sides of the trust boundary, like state_description: the worker
records the learner's calls, the judge the reference's, and `checked_recording` cuts what a worker
sent to the expected fields, types and sizes before anything reads it. Only NumPy reads values
(np.asarray on arrays already computed): recording never adds a JAX operation, so a worker forked
from a warm template compiles nothing new. A call that raises is recorded too, without its
output, so the page can draw what the code produced up to there.
"""

from __future__ import annotations

import functools
import math
from typing import Any

MAX_EVENTS = 32
MAX_ARRAY_ELEMENTS = 1024
MAX_TOTAL_ELEMENTS = 8192
MAX_STATE_ENTRIES = 16
MAX_NAME_CHARS = 80
MAX_DIMENSIONS = 6
FUNCTION_HOMES = {"softmax": ("jax.nn", "flax.nnx"), "relu": ("jax.nn", "flax.nnx")}


class CallRecorder:
    """Records the probed calls while `events` is a list (None: not recording)."""

    def __init__(self, probes: dict[str, Any] | None) -> None:
        self.probes = probes or {}
        self.events: list[dict[str, Any]] | None = None
        self._budget = MAX_TOTAL_ELEMENTS
        self._undo: list[tuple[Any, str, Any, bool]] = []

    @property
    def active(self) -> bool:
        """True when the problem asked for any probe."""
        return bool(self.probes.get("modules") or self.probes.get("functions") or self.probes.get("own_modules"))

    def arm(self) -> None:
        """Start a fresh recording (one per test)."""
        self.events = []
        self._budget = MAX_TOTAL_ELEMENTS

    def take(self) -> dict[str, Any]:
        """The recording so far, and stop recording."""
        events, self.events = self.events or [], None
        return {"events": events, "truncated": len(events) >= MAX_EVENTS}

    def install(self) -> CallRecorder:
        """Wrap the probed layers' and functions' calls; `restore` undoes it."""
        import importlib

        from flax import nnx

        for name, attributes in self.probes.get("modules") or []:
            layer = getattr(nnx, str(name), None)
            if isinstance(layer, type) and "__call__" in vars(layer):
                self._replace(layer, "__call__", self._module_call(str(name), layer.__call__, list(attributes)))
        for name in self.probes.get("functions") or []:
            for home in FUNCTION_HOMES.get(name, ("flax.nnx",)):
                namespace = importlib.import_module(home)
                original = getattr(namespace, name, None)
                if callable(original):
                    wrapper = self._vmap(original) if name == "vmap" else self._function_call(name, original)
                    self._replace(namespace, name, wrapper)
        if self.probes.get("own_modules"):
            self._watch_own_modules(nnx)
        return self

    def restore(self) -> None:
        """Put back every wrapped call, last first."""
        for owner, name, original, had_own in reversed(self._undo):
            if had_own:
                setattr(owner, name, original)
            else:
                delattr(owner, name)
        self._undo = []

    def _replace(self, owner: Any, name: str, wrapper: Any) -> None:
        had_own = name in vars(owner)
        self._undo.append((owner, name, getattr(owner, name), had_own))
        setattr(owner, name, wrapper)

    def _record(self, event: dict[str, Any]) -> None:
        if self.events is not None and len(self.events) < MAX_EVENTS:
            self.events.append(event)

    def _module_call(self, kind: str, original: Any, attributes: list[str]) -> Any:
        recorder = self

        @functools.wraps(original)
        def recording(module, *args, **kwargs):
            if recorder.events is None:
                return original(module, *args, **kwargs)
            event: dict[str, Any] = {"kind": kind, "input": recorder._describe(args[0] if args else None)}
            try:
                output = original(module, *args, **kwargs)
            except BaseException:
                event["raised"] = True
                event["state"] = recorder._attributes(module, attributes)
                recorder._record(event)
                raise
            event["output"] = recorder._describe(output)
            event["state"] = recorder._attributes(module, attributes)
            recorder._record(event)
            return output

        return recording

    def _function_call(self, kind: str, original: Any) -> Any:
        recorder = self

        @functools.wraps(original)
        def recording(*args, **kwargs):
            if recorder.events is None:
                return original(*args, **kwargs)
            event: dict[str, Any] = {"kind": kind, "input": recorder._describe(args[0] if args else None)}
            try:
                output = original(*args, **kwargs)
            except BaseException:
                event["raised"] = True
                recorder._record(event)
                raise
            event["output"] = recorder._describe(output)
            recorder._record(event)
            return output

        return recording

    def _vmap(self, original: Any) -> Any:
        recorder = self

        @functools.wraps(original)
        def vmap(*args, **kwargs):
            transformed = original(*args, **kwargs)
            if args and callable(args[0]):
                return recorder._function_call("vmap", transformed)
            # Used as @nnx.vmap(in_axes=...): the decorator comes first, the function later.
            return lambda f, *more, **options: recorder._function_call("vmap", transformed(f, *more, **options))

        return vmap

    def _watch_own_modules(self, nnx: Any) -> None:
        from flax.nnx import module as module_lib

        meta = module_lib.ModuleMeta
        constructing = meta.__call__
        recorder = self

        def constructing_and_watching(cls, *args, **kwargs):
            instance = constructing(cls, *args, **kwargs)
            recorder._wrap_own_call(cls)
            return instance

        self._replace(meta, "__call__", constructing_and_watching)

    def _wrap_own_call(self, cls: type) -> None:
        owner = next((klass for klass in cls.__mro__ if "__call__" in vars(klass)), None)
        if owner is None or str(getattr(owner, "__module__", "")).startswith(("flax", "jax")):
            return
        current = vars(owner)["__call__"]
        if getattr(current, "_records_calls", False):
            return
        recorder = self

        @functools.wraps(current)
        def recording(module, *args, **kwargs):
            if recorder.events is None:
                return current(module, *args, **kwargs)
            event: dict[str, Any] = {"kind": "own", "module": _cut(type(module).__name__)}
            try:
                output = current(module, *args, **kwargs)
            except BaseException:
                event["raised"] = True
                event["state"] = recorder._own_state(module)
                recorder._record(event)
                raise
            event["output"] = recorder._describe(output)
            event["state"] = recorder._own_state(module)
            recorder._record(event)
            return output

        recording._records_calls = True  # type: ignore[attr-defined]
        self._replace(owner, "__call__", recording)

    def _attributes(self, module: Any, names: list[str]) -> dict[str, Any]:
        described = {}
        for name in names[:MAX_STATE_ENTRIES]:
            try:
                described[_cut(str(name))] = self._describe(getattr(module, str(name), None))
            except Exception:  # noqa: BLE001 - an attribute that cannot be read is simply absent
                described[_cut(str(name))] = None
        return described

    def _own_state(self, module: Any) -> dict[str, Any]:
        """The module's own non-Param Variables and plain numbers (a counter, however it is kept)."""
        from flax import nnx

        described = {}
        try:
            items = list(vars(module).items())
        except Exception:  # noqa: BLE001 - a module without __dict__ has nothing to show
            return {}
        for name, value in items:
            if len(described) >= MAX_STATE_ENTRIES or name.startswith("_"):
                continue
            kept = isinstance(value, nnx.Variable) and not isinstance(value, nnx.Param)
            kept = kept or (isinstance(value, (int, float)) and not isinstance(value, bool))
            kept = kept or (type(value).__module__.startswith(("jax", "numpy")) and hasattr(value, "shape"))
            if kept:
                described[_cut(name)] = self._describe(value)
        return described

    def _describe(self, value: Any) -> dict[str, Any] | None:
        try:
            return self._describe_unsafe(value)
        except Exception:  # noqa: BLE001 - a value that cannot be read is recorded as absent
            return None

    def _describe_unsafe(self, value: Any) -> dict[str, Any] | None:
        from flax import nnx

        if isinstance(value, nnx.Module):
            return {"state": self._module_state(value)}
        if isinstance(value, nnx.Variable):
            getter = getattr(value, "get_value", None)
            value = getter() if callable(getter) else value.value
        if isinstance(value, (tuple, list)) and value:
            # A layer or function that returns several things: the first array is what is drawn.
            return next((d for d in map(self._describe, value[:4]) if d is not None), None)
        return self._array(value)

    def _array(self, value: Any) -> dict[str, Any] | None:
        import jax
        import numpy as np

        if isinstance(value, jax.core.Tracer):
            shape = getattr(value, "shape", None)
            return {"shape": list(shape), "traced": True} if isinstance(shape, tuple) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = np.asarray(value, dtype=np.float64)
        shape = getattr(value, "shape", None)
        dtype = getattr(value, "dtype", None)
        if not isinstance(shape, tuple) or dtype is None or len(shape) > MAX_DIMENSIONS:
            return None
        size = math.prod(shape)
        if np.dtype(dtype).kind not in "biuf" or size > MAX_ARRAY_ELEMENTS or size > self._budget:
            return {"shape": list(shape)}
        self._budget -= size
        array = np.asarray(value, dtype=np.float64)
        return {"shape": list(shape), "data": [float(v) if math.isfinite(v) else None for v in array.ravel().tolist()]}

    def _module_state(self, module: Any) -> dict[str, Any]:
        from flax import nnx

        state: dict[str, Any] = {}
        for count, (path, node) in enumerate(nnx.graph.iter_graph(module)):
            if count >= 200 or len(state) >= MAX_STATE_ENTRIES:
                break
            if isinstance(node, nnx.Variable) and not isinstance(node, nnx.RngState):
                state[_cut("/".join(str(part) for part in path))] = self._describe(node)
        return state


def _cut(text: str) -> str:
    return text[:MAX_NAME_CHARS]


def checked_recording(described: Any) -> dict[str, Any] | None:
    """A worker's recording cut to the expected fields, types and sizes, or None if unusable."""
    if not isinstance(described, dict) or not isinstance(described.get("events"), list):
        return None
    events = [e for e in map(_checked_event, described["events"][:MAX_EVENTS]) if e is not None]
    return {"events": events, "truncated": described.get("truncated") is True}


def _checked_event(event: Any) -> dict[str, Any] | None:
    if not isinstance(event, dict) or not isinstance(event.get("kind"), str):
        return None
    state = event.get("state") if isinstance(event.get("state"), dict) else {}
    module = event.get("module")
    return {
        "kind": _cut(event["kind"]),
        "module": _cut(module) if isinstance(module, str) else None,
        "raised": event.get("raised") is True,
        "input": _checked_value(event.get("input")),
        "output": _checked_value(event.get("output")),
        "state": {_cut(k): _checked_value(v) for k, v in list(state.items())[:MAX_STATE_ENTRIES] if isinstance(k, str)},
    }


def _checked_value(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("state"), dict):
        entries = list(value["state"].items())[:MAX_STATE_ENTRIES]
        return {"state": {_cut(k): _checked_array(v) for k, v in entries if isinstance(k, str)}}
    return _checked_array(value)


def _checked_array(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    shape = value.get("shape")
    if not (
        isinstance(shape, list)
        and len(shape) <= MAX_DIMENSIONS
        and all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 1 << 31 for n in shape)
    ):
        return None
    checked: dict[str, Any] = {"shape": list(shape), "traced": value.get("traced") is True}
    data = value.get("data")
    if isinstance(data, list) and len(data) == math.prod(shape) <= MAX_ARRAY_ELEMENTS:
        checked["data"] = [_number(v) for v in data]
    return checked


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None
