"""Trusted computations outside the sandbox: expected outputs, reference kernels, wrong variants."""

from __future__ import annotations

import json
import threading
from typing import Any

import numpy as np

from playground.judge.model_state import ModelState
from playground.problems import Problem
from playground.problems.panels import Recording, panels_for
from playground.sandbox.panel_description import CallRecorder, checked_recording
from playground.sandbox.state_description import ModuleRecorder, describe_answer_state

_lock = threading.Lock()


def _key(problem: Problem, inputs: dict[str, Any]) -> str:
    return problem.id + json.dumps(inputs, sort_keys=True)


class ReferenceCache:
    """Computes and remembers the reference's output and parameters for each input."""

    def __init__(self) -> None:
        self._outputs: dict[str, list[np.ndarray]] = {}
        self._params: dict[str, list[np.ndarray]] = {}
        self._states: dict[str, ModelState | None] = {}
        self._recordings: dict[str, Recording | None] = {}
        self._variants: dict[tuple[str, str], np.ndarray | None] = {}

    def expected(self, problem: Problem, inputs: dict[str, Any]) -> np.ndarray:
        """The reference output for these inputs (float64); the first part for multi-part answers."""
        return self.expected_parts(problem, inputs)[0]

    def expected_parts(self, problem: Problem, inputs: dict[str, Any]) -> list[np.ndarray]:
        """The reference answer as a list of arrays: one per named output, or just the one."""
        key = _key(problem, inputs)
        if key not in self._outputs:
            self._compute(problem, inputs, key)
        return self._outputs[key]

    def reference_params(self, problem: Problem, inputs: dict[str, Any]) -> list[np.ndarray]:
        """Every nnx.Param the reference created for these inputs, in creation order."""
        key = _key(problem, inputs)
        if key not in self._params:
            self._compute(problem, inputs, key)
        return self._params[key]

    def reference_state(self, problem: Problem, inputs: dict[str, Any]) -> ModelState | None:
        """The state of the module the reference's answer is about, described like the learner's."""
        key = _key(problem, inputs)
        if key not in self._states:
            self._compute(problem, inputs, key)
        return self._states[key]

    def reference_recording(self, problem: Problem, inputs: dict[str, Any]) -> Recording | None:
        """The calls the problem's panels probe, recorded while the reference ran (None: no panels)."""
        key = _key(problem, inputs)
        if key not in self._recordings:
            self._compute(problem, inputs, key)
        return self._recordings[key]

    def variant(self, problem: Problem, name: str, inputs: dict[str, Any]) -> list[np.ndarray] | None:
        """A misconception's answer as parts (like expected_parts), or None if it cannot run."""
        key = (name, _key(problem, inputs))
        if key not in self._variants:
            compute = next(m.compute for m in problem.misconceptions if m.name == name)
            try:
                with _lock:
                    self._variants[key] = as_parts(problem, compute(inputs))
            except Exception:  # noqa: BLE001 - a variant that cannot run on this input is skipped
                self._variants[key] = None
        return self._variants[key]

    def _compute(self, problem: Problem, inputs: dict[str, Any], key: str) -> None:
        import jax
        import jax.numpy as jnp

        args = []
        for argument in problem.arguments:
            value = inputs[argument.name]
            args.append(jnp.asarray(value, dtype=jnp.float32) if argument.kind.startswith("f32_") else float(value))
        modules = ModuleRecorder()
        panels = panels_for(problem.id)
        calls = CallRecorder(panels.probes.to_job() if panels else None)
        with _lock, _recording_params() as created:
            modules.install().created = []
            calls.install().arm()
            try:
                output = problem.reference()(*args)
                state = describe_answer_state(modules.created, output)
            finally:
                calls.restore()
                modules.restore()
        self._states[key] = ModelState.from_dict(state)
        self._recordings[key] = Recording.from_dict(checked_recording(calls.take())) if panels else None
        self._outputs[key] = as_parts(problem, output)
        # Params created inside a transform (nnx.vmap builds each member under a trace) hold
        # tracers, not numbers, and are not the module the answer came from: none are kept then.
        values = [p.get_value() for p in created]
        traced = any(isinstance(v, jax.core.Tracer) for v in values)
        self._params[key] = [] if traced else [np.asarray(v, dtype=np.float64) for v in values]


def as_parts(problem: Problem, answer: Any) -> list[np.ndarray]:
    """A trusted answer as a list of float64 arrays, in the problem's output order."""
    if not problem.output_names:
        return [np.asarray(answer, dtype=np.float64)]
    if isinstance(answer, dict):
        answer = [answer[name] for name in problem.output_names]
    return [np.asarray(part, dtype=np.float64) for part in answer]


class _recording_params:
    """Records nnx.Param instances created inside the block (callers hold the module lock)."""

    def __enter__(self) -> list[Any]:
        from flax import nnx
        from flax.nnx import variablelib

        self._meta = variablelib.VariableMeta
        self._original = self._meta.__call__
        created: list[Any] = []
        original = self._original

        def recording_call(cls, *args, **kwargs):
            instance = original(cls, *args, **kwargs)
            if isinstance(instance, nnx.Param):
                created.append(instance)
            return instance

        self._meta.__call__ = recording_call
        return created

    def __exit__(self, *exc_info: object) -> None:
        self._meta.__call__ = self._original
