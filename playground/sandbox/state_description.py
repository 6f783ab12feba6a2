"""The state of the nnx.Module an answer is about, as plain JSON: one entry per Variable.

One implementation for both sides of the trust boundary: the worker describes the learner's
module with it, the judge describes the reference's, and the pool checks what a worker sent
with `checked_state` before anything else reads it. Arrays never leave: only each Variable's
path, type, shape, dtype, element count and three summary numbers (min, max, mean).

Arrays kept on a module without a Variable around them are listed too, as type `jax.Array` or
`ndarray`: nnx does not treat them as state, and seeing that is the point.

Which module: a module the entry point returned (itself, or an item of a returned tuple, list or
dict) if there is one; otherwise, of the modules built during the call that no other module built
during the call contains (the outermost ones), the one holding the most elements, the last built
on a tie. `modules` says how many outermost modules there were, so the page can say it chose.
A module built inside a transform (nnx.vmap, nnx.jit, ...) holds traced values: it is described by
shapes only (those of one call), marked `traced`, and chosen only when no other module was built.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

MAX_STATE_VARIABLES = 64
MAX_PATH_CHARS = 120
MAX_NAME_CHARS = 60
MAX_GRAPH_NODES = 2000
MAX_RECORDED_MODULES = 100
MAX_DIMENSIONS = 8
MAX_DIMENSION = 1 << 31


class ModuleRecorder:
    """Records every nnx.Module constructed while `created` is a list (None: not recording)."""

    def __init__(self) -> None:
        self.created: list[Any] | None = None
        self._meta: Any = None
        self._had_own_call = False
        self._original: Any = None

    def install(self) -> ModuleRecorder:
        """Wrap nnx.Module construction so each new module is appended to `created`."""
        from flax.nnx import module as module_lib

        meta = module_lib.ModuleMeta
        self._meta = meta
        self._had_own_call = "__call__" in meta.__dict__
        self._original = meta.__call__
        original = self._original
        recorder = self

        def recording_call(cls, *args, **kwargs):
            instance = original(cls, *args, **kwargs)
            created = recorder.created
            if created is not None and len(created) < MAX_RECORDED_MODULES:
                created.append(instance)
            return instance

        meta.__call__ = recording_call
        return self

    def restore(self) -> None:
        """Undo install(): modules are constructed as before."""
        if self._meta is None:
            return
        if self._had_own_call:
            self._meta.__call__ = self._original
        else:
            del self._meta.__call__
        self._meta = None


def describe_answer_state(built: list[Any], answer: Any = None) -> dict[str, Any]:
    """The state of the module the answer is about (rule in the module docstring), never raising."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module, roots = _chosen_module(built, answer)
            if module is None:
                return {"module": None, "modules": 0, "variables": [], "total": 0, "truncated": False}
            described = describe_module(module)
            described["modules"] = roots
            return described
    except BaseException:  # noqa: BLE001 - a module whose state cannot be read is reported as such
        return {"module": None, "modules": 1, "variables": [], "total": 0, "truncated": False, "unreadable": True}


def describe_module(module: Any) -> dict[str, Any]:
    """Every Variable under the module (up to MAX_STATE_VARIABLES), in path order."""
    variables = []
    total = 0
    traced = False
    for path, node in _state_leaves(module):
        total += 1
        traced = traced or _is_traced(node)
        if len(variables) < MAX_STATE_VARIABLES:
            variables.append(describe_variable(path, node))
    return {
        "module": _cut(type(module).__name__, MAX_NAME_CHARS),
        "modules": 1,
        "variables": variables,
        "total": total,
        "truncated": total > len(variables),
        "traced": traced,
    }


def _state_leaves(module: Any):
    """(path, node) for each Variable and each bare array under the module, bounded."""
    import jax
    import numpy as np
    from flax import nnx

    for count, (path, node) in enumerate(nnx.graph.iter_graph(module)):
        if count >= MAX_GRAPH_NODES:
            return
        if isinstance(node, (nnx.Variable, jax.Array, np.ndarray)):
            yield path, node


def describe_variable(path: tuple[Any, ...], variable: Any) -> dict[str, Any]:
    """One Variable (or bare array): where it is, what it is, its shape and summary numbers."""
    import jax

    bare = not hasattr(variable, "get_value") and not hasattr(variable, "value")
    entry: dict[str, Any] = {
        "path": _cut("/".join(str(part) for part in path), MAX_PATH_CHARS),
        "type": "jax.Array" if isinstance(variable, jax.Array) else _cut(type(variable).__name__, MAX_NAME_CHARS),
        "shape": None,
        "dtype": None,
        "size": None,
        "min": None,
        "max": None,
        "mean": None,
    }
    getter = getattr(variable, "get_value", None)
    value = variable if bare else getter() if callable(getter) else variable.value
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if dtype is not None and isinstance(shape, tuple) and all(isinstance(n, int) for n in shape):
        entry["shape"] = list(shape)
        entry["dtype"] = _cut(str(dtype), MAX_NAME_CHARS)
        entry["size"] = math.prod(shape)
        if _is_numeric(dtype) and entry["size"] > 0 and not isinstance(value, jax.core.Tracer):
            entry.update(_summary(value))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        entry.update(shape=[], dtype=type(value).__name__, size=1)
        entry.update(_summary(value))
    else:
        entry["dtype"] = _cut(type(value).__name__, MAX_NAME_CHARS)  # not an array: no shape to show
    return entry


def _summary(value: Any) -> dict[str, float | None]:
    import numpy as np

    array = np.asarray(value, dtype=np.float64)
    return {"min": _finite(array.min()), "max": _finite(array.max()), "mean": _finite(array.mean())}


def _is_traced(node: Any) -> bool:
    import jax

    getter = getattr(node, "get_value", None)
    return isinstance(getter() if callable(getter) else node, jax.core.Tracer)


def _is_numeric(dtype: Any) -> bool:
    import numpy as np

    try:
        return np.dtype(dtype).kind in "biuf"
    except TypeError:
        return False  # e.g. JAX's PRNG key dtype, which NumPy cannot hold


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chosen_module(built: list[Any], answer: Any) -> tuple[Any, int]:
    from flax import nnx

    returned = _returned_module(answer, nnx.Module)
    roots = _outermost(built, nnx)
    if returned is not None:
        return returned, max(len(roots), 1)
    if not roots:
        return None, 0
    sizes = [_element_count(module) for module in roots]
    best = max(range(len(roots)), key=lambda i: (not sizes[i][1], sizes[i][0], i))
    return roots[best], len(roots)


def _returned_module(answer: Any, module_type: type) -> Any:
    if isinstance(answer, module_type):
        return answer
    items = list(answer.values()) if isinstance(answer, dict) else answer if isinstance(answer, (tuple, list)) else []
    return next((item for item in items[:16] if isinstance(item, module_type)), None)


def _outermost(built: list[Any], nnx: Any) -> list[Any]:
    inside: set[int] = set()
    for module in built:
        for count, (path, node) in enumerate(nnx.graph.iter_graph(module)):
            if count >= MAX_GRAPH_NODES:
                break
            if path and isinstance(node, nnx.Module):
                inside.add(id(node))
    seen: set[int] = set()
    roots = []
    for module in built:
        if id(module) not in inside and id(module) not in seen:
            seen.add(id(module))
            roots.append(module)
    return roots


def _element_count(module: Any) -> tuple[int, bool]:
    """How many elements the module's state holds, and whether any of it is traced."""
    total, traced = 0, False
    for _, node in _state_leaves(module):
        getter = getattr(node, "get_value", None)
        shape = getattr(getter() if callable(getter) else node, "shape", ())
        total += math.prod(shape) if isinstance(shape, tuple) else 1
        traced = traced or _is_traced(node)
    return total, traced


def checked_state(described: Any) -> dict[str, Any] | None:
    """A worker's state description cut to the expected fields and types, or None if unusable."""
    if not isinstance(described, dict):
        return None
    variables = described.get("variables")
    if not isinstance(variables, list):
        return None
    module = described.get("module")
    return {
        "module": _cut(module, MAX_NAME_CHARS) if isinstance(module, str) else None,
        "modules": _count(described.get("modules")),
        "variables": [v for v in map(_checked_variable, variables[:MAX_STATE_VARIABLES]) if v is not None],
        "total": _count(described.get("total")),
        "truncated": described.get("truncated") is True or len(variables) > MAX_STATE_VARIABLES,
        "unreadable": described.get("unreadable") is True,
        "traced": described.get("traced") is True,
    }


def _checked_variable(entry: Any) -> dict[str, Any] | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or not isinstance(entry.get("type"), str):
        return None
    shape = entry.get("shape")
    valid_shape = (
        isinstance(shape, list)
        and len(shape) <= MAX_DIMENSIONS
        and all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_DIMENSION for n in shape)
    )
    dtype = entry.get("dtype")
    return {
        "path": _cut(entry["path"], MAX_PATH_CHARS),
        "type": _cut(entry["type"], MAX_NAME_CHARS),
        "shape": list(shape) if valid_shape else None,
        "dtype": _cut(dtype, MAX_NAME_CHARS) if isinstance(dtype, str) else None,
        "size": math.prod(shape) if valid_shape else None,  # recomputed: never trust a sent count
        "min": _number_or_none(entry.get("min")),
        "max": _number_or_none(entry.get("max")),
        "mean": _number_or_none(entry.get("mean")),
    }


def _number_or_none(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1 << 31 else 0
