"""The only code that runs inside the sandbox: load the learner's source and run it on inputs.

It reports plain numbers and descriptions as JSON frames on its result descriptor. It decides
nothing: the judge, outside the sandbox, compares and gives the verdict.
"""

from __future__ import annotations

import inspect
import io
import linecache
import os
import sys
import traceback
import warnings
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import numpy as np

from playground.sandbox.compile_hook import CompileWatch
from playground.sandbox.panel_description import CallRecorder
from playground.sandbox.protocol import (
    JOB_FD,
    RESULT_FD,
    Frame,
    LoadFailure,
    ProtocolError,
    read_frame_blocking,
    write_frame,
)
from playground.sandbox.stall_watch import StallWatch
from playground.sandbox.state_description import ModuleRecorder, describe_answer_state

SUBMISSION_FILENAME = "<submission>"
MAX_OUTPUT_ELEMENTS = 1 << 16
MAX_CAPTURED_PARAMS = 64  # shapes of this many, so a structural check can count them all
MAX_DRAWN_PARAMS = 4  # values of only the first few, for the page's charts
MAX_PARAM_ELEMENTS = 64 * 64
MAX_TEXT = 2000
MAX_WARNINGS = 20


class ParamRecorder:
    """Records every nnx.Param created while armed, to show the learner's kernel."""

    def __init__(self) -> None:
        self.created: list[Any] | None = None
        self._install()

    def _install(self) -> None:
        from flax import nnx
        from flax.nnx import variablelib

        original = variablelib.VariableMeta.__call__
        recorder = self

        def recording_call(cls, *args, **kwargs):
            instance = original(cls, *args, **kwargs)
            if recorder.created is not None and isinstance(instance, nnx.Param):
                recorder.created.append(instance)
            return instance

        variablelib.VariableMeta.__call__ = recording_call

    def describe(self, with_values: bool) -> list[dict[str, Any]]:
        """Shapes (and small values) of the parameters created since the last arm()."""
        described = []
        for index, param in enumerate((self.created or [])[:MAX_CAPTURED_PARAMS]):
            value = _param_array(param)
            entry: dict[str, Any] = {"shape": list(value.shape) if value is not None else None}
            drawn = with_values and index < MAX_DRAWN_PARAMS
            if drawn and value is not None and value.size <= MAX_PARAM_ELEMENTS:
                entry["data"] = value.astype(np.float64).ravel().tolist()
            described.append(entry)
        return described


def _param_array(param: Any) -> np.ndarray | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            getter = getattr(param, "get_value", None)
            raw = getter() if callable(getter) else param.value
        array = np.asarray(raw)
    except Exception:  # noqa: BLE001 - a parameter we cannot read is simply not drawn
        return None
    # A Param can hold anything (a function, by mistake): only numbers are parameters to show.
    return array if array.dtype.kind in "biuf" else None


def describe_value(value: Any) -> dict[str, Any]:
    """What the learner returned, as plain JSON-able numbers or a description of its type."""
    if value is None:
        return {"kind": "none"}
    if isinstance(value, (str, bytes)):
        return {"kind": "text", "type": type(value).__name__}
    try:
        array = np.asarray(value, dtype=np.float64)
    except Exception:  # noqa: BLE001 - any unconvertible object is reported by its type name
        return {"kind": "object", "type": _type_name(value)}
    if array.size > MAX_OUTPUT_ELEMENTS:
        return {"kind": "too_big", "shape": list(array.shape)}
    return {"kind": "array", "shape": list(array.shape), "data": array.ravel().tolist()}


def describe_parts(value: Any, names: list[str]) -> list[dict[str, Any]] | None:
    """Each named part of a tuple or dict answer, or None when the answer has another form."""
    if not names:
        return None
    if isinstance(value, dict):
        if not all(name in value for name in names):
            return None
        return [describe_value(value[name]) for name in names]
    if isinstance(value, (tuple, list)) and len(value) == len(names):
        return [describe_value(part) for part in value]
    return None


def _type_name(value: Any) -> str:
    try:
        return type(value).__qualname__[:100]
    except Exception:  # noqa: BLE001
        return "object"


def describe_exception(exc: BaseException) -> dict[str, Any]:
    """The exception with only the learner's own frames, for messages and hints."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == SUBMISSION_FILENAME]
    try:
        detail = str(exc)
    except Exception:  # noqa: BLE001 - a broken __str__ must not break the report
        detail = "(the exception could not be printed)"
    detail = detail.split("\n--------------------\nFor simplicity, JAX")[0].strip()
    text = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    text = text[:MAX_TEXT]
    lines = ["Traceback (your code only):"]
    for frame in frames[-10:]:
        lines.append(f"  line {frame.lineno}, in {frame.name}")
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    lines.append(text)
    return {
        "type": type(exc).__name__,
        "text": text,
        "line": frames[-1].lineno if frames else None,
        "code": (frames[-1].line or "").strip()[:200] if frames else None,
        "traceback": "\n".join(lines)[: MAX_TEXT * 2],
        "memory": isinstance(exc, MemoryError) or "RESOURCE_EXHAUSTED" in detail[:5000],
    }


def _format_warning(caught: warnings.WarningMessage) -> str:
    where = f"line {caught.lineno}" if caught.filename == SUBMISSION_FILENAME else os.path.basename(caught.filename)
    text = str(caught.message).strip().replace("\n\n", "\n")
    return f"{caught.category.__name__} ({where}): {text}"[:MAX_TEXT]


def _build_args(arguments: list[list[str]], inputs: dict[str, Any]) -> list[Any]:
    import jax.numpy as jnp

    args = []
    for name, kind in arguments:
        value = inputs[name]
        args.append(jnp.asarray(value, dtype=jnp.float32) if kind.startswith("f32_") else float(value))
    return args


class Session:
    """One submission inside one worker: load the source once, then run cases."""

    def __init__(
        self, job: dict[str, Any], recorder: ParamRecorder, modules: ModuleRecorder | None = None, calls: CallRecorder | None = None
    ) -> None:
        self.job = job
        self.recorder = recorder
        self.modules = modules
        self.calls = calls if calls is not None and calls.active else None
        self.warnings: list[str] = []
        self.entry: Callable[..., Any] | None = None

    def load(self) -> dict[str, Any] | None:
        """Execute the source and find the entry point; a frame describing a failure, or None."""
        source = self.job["source"]
        entry_name = self.job["entry_point"]
        linecache.cache[SUBMISSION_FILENAME] = (len(source), None, source.splitlines(True), SUBMISSION_FILENAME)
        namespace: dict[str, Any] = {"__name__": "__submission__", "__builtins__": __builtins__}
        try:
            code = compile(source, SUBMISSION_FILENAME, "exec")
        except (SyntaxError, ValueError) as exc:
            return {"type": Frame.LOAD_ERROR, "kind": LoadFailure.SYNTAX, "error": describe_syntax(exc)}
        try:
            with self._watching_warnings(record=True):
                exec(code, namespace)
        except BaseException as exc:  # noqa: BLE001 - any failure of user code becomes a report
            return {"type": Frame.LOAD_ERROR, "kind": LoadFailure.RUNTIME, "error": describe_exception(exc)}
        entry = namespace.get(entry_name)
        if entry is None:
            return {"type": Frame.LOAD_ERROR, "kind": LoadFailure.MISSING, "error": None}
        if not callable(entry):
            return {"type": Frame.LOAD_ERROR, "kind": LoadFailure.NOT_CALLABLE, "error": {"type": _type_name(entry)}}
        try:
            inspect.signature(entry).bind(*[None] * len(self.job["arguments"]))
        except TypeError as exc:
            return {"type": Frame.LOAD_ERROR, "kind": LoadFailure.SIGNATURE, "error": {"text": str(exc)[:MAX_TEXT]}}
        except ValueError:
            pass  # builtins without a signature: let the call decide
        self.entry = entry
        return None

    def run_cases(self, cases: list[dict[str, Any]], record_warnings: bool) -> list[dict[str, Any]]:
        """Call the entry point on each case; never raises."""
        results = []
        for case in cases:
            result = self._run_case(case, record_warnings)
            results.append(result)
            if result.get("error", {}).get("memory"):
                break  # out of memory once is the verdict; more tests would only repeat it slowly
        _flush_standard_streams()
        return results

    def _run_case(self, case: dict[str, Any], record_warnings: bool) -> dict[str, Any]:
        result: dict[str, Any] = {"name": case["name"]}
        self.recorder.created = []
        value = None
        describe = bool(case.get("capture")) and self.modules is not None
        if describe:
            self.modules.created = []  # only the visible tests' state is described: it shows the shapes
        probed = bool(case.get("capture")) and self.calls is not None
        if probed:
            self.calls.arm()  # the problem's own panels: visible tests only, like the state
        try:
            args = _build_args(self.job["arguments"], case["inputs"])
            with self._watching_warnings(record=record_warnings):
                value = self.entry(*args)
            parts = describe_parts(value, self.job.get("output_names") or [])
            if parts is None:
                result["output"] = describe_value(value)
            else:
                result["outputs"] = parts
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
            result["error"] = describe_exception(exc)
        finally:
            params = self.recorder.describe(with_values=bool(case.get("capture")))
            self.recorder.created = None
            if describe:
                result["state"] = describe_answer_state(self.modules.created or [], value)
                self.modules.created = None
            if probed:
                result["panels"] = self.calls.take()
        result["params"] = params
        return result

    def _watching_warnings(self, record: bool):
        session = self

        class _Watch:
            def __enter__(self):
                self._ctx = warnings.catch_warnings(record=True)
                self._caught = self._ctx.__enter__()
                warnings.simplefilter("always")
                return self

            def __exit__(self, *exc_info):
                caught = list(self._caught)
                self._ctx.__exit__(*exc_info)
                if record:
                    for item in caught:
                        text = _format_warning(item)
                        if text not in session.warnings and len(session.warnings) < MAX_WARNINGS:
                            session.warnings.append(text)
                return False

        return _Watch()


def describe_syntax(exc: BaseException) -> dict[str, Any]:
    """A syntax error as line, column, message and the offending line."""
    line = getattr(exc, "lineno", None)
    return {
        "type": type(exc).__name__,
        "text": f"{type(exc).__name__}: {getattr(exc, 'msg', None) or exc}"[:MAX_TEXT],
        "line": line,
        "offset": getattr(exc, "offset", None),
        "code": (getattr(exc, "text", None) or "").strip()[:200],
    }


def _flush_standard_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - the learner may have replaced or closed the stream
            pass


def _silence_output() -> None:
    # Hidden tests' prints are never shown: point the standard descriptors at /dev/null.
    _flush_standard_streams()
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)


def serve(
    job_fd: int = JOB_FD, result_fd: int = RESULT_FD, watch: CompileWatch | None = None, stall: StallWatch | None = None
) -> None:
    """Handle one job from the judge, then return (the caller exits the process).

    `stall`, for a worker forked from a warm template, watches the learner's code while it runs.
    """
    running = stall.armed if stall is not None else nullcontext
    recorder = ParamRecorder()
    modules = ModuleRecorder().install()
    if watch is None:
        watch = CompileWatch()  # counted from here on: the learner's compiles, not the warm-up's
        watch.install()
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="replace", write_through=True)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="replace", write_through=True)
    job = read_frame_blocking(job_fd)
    calls = CallRecorder(job.get("probes") if isinstance(job.get("probes"), dict) else None)
    if calls.active:
        calls.install()  # before the source loads, so `from jax.nn import softmax` gets the recorded one
    session = Session(job, recorder, modules, calls)
    with running():
        failure = session.load()
    if failure is not None:
        _flush_standard_streams()
        failure["warnings"] = session.warnings
        write_frame(result_fd, failure | watch.counts())
        return
    with running():
        results = session.run_cases(job["cases"], record_warnings=True)
    _write_results(result_fd, {"type": Frame.RESULTS, "results": results, "warnings": session.warnings, "more": job.get("more", False)} | watch.counts())
    if not job.get("more"):
        return
    follow_up = read_frame_blocking(job_fd)
    _silence_output()
    with running():
        results = session.run_cases(follow_up["cases"], record_warnings=False)
    _write_results(result_fd, {"type": Frame.RESULTS, "results": results, "warnings": [], "more": False} | watch.counts())


def _write_results(fd: int, message: dict[str, Any]) -> None:
    try:
        write_frame(fd, message)
    except ProtocolError:
        # Large outputs in every test can overflow one frame: send their shapes, so the judge can
        # still say the output was too big instead of reporting a broken channel.
        for result in message["results"]:
            result.pop("panels", None)
            if "output" in result:
                result["output"] = _shape_only(result["output"])
            if "outputs" in result:
                result["outputs"] = [_shape_only(part) for part in result["outputs"]]
        write_frame(fd, message)


def _shape_only(described: dict[str, Any]) -> dict[str, Any]:
    if described.get("kind") == "array":
        return {"kind": "too_big", "shape": described["shape"]}
    return described
