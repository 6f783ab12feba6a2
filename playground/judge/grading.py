"""Turns what a worker reported into a Verdict: each test's result, and the charts of each visible test.

The status, message and hint are decided in playground.judge.status_decision (with the hints of
playground.judge.hints); this module grades each test and draws what the page shows for it.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from playground.judge.compare import compare_answer, decode_output
from playground.judge.graded import GradedCase
from playground.judge.model_state import ModelState
from playground.judge.reference import ReferenceCache
from playground.judge.status_decision import decide, reason_not_run, syntax_sentence
from playground.judge.verdict import Figures, Mode, Panel, Status, TestResult, Verdict
from playground.problems import Case, Problem
from playground.problems.panels import Chart, PanelInputs, Recording, panels_for
from playground.sandbox.panel_description import checked_recording
from playground.sandbox.records import Limits, RunOutcome

# syntax_sentence lives in status_decision; playground.judge.source_checks imports it from here.
__all__ = ["grade", "syntax_sentence"]


def grade(
    problem: Problem,
    mode: Mode,
    file: str,
    cases: list[Case],
    outcome: RunOutcome,
    references: ReferenceCache,
    limits: Limits,
    is_starter: bool,
) -> Verdict:
    """The verdict for one run of a submission."""
    verdict = Verdict(problem=problem.id, file=file, mode=mode, status=Status.ACCEPTED, message="")
    verdict.stdout = outcome.output
    if outcome.output_cut:
        verdict.stdout += f"\n[output cut here: only the first {limits.output_bytes // 1024} KiB is kept]"
    results: dict[str, dict[str, Any]] = {}
    load_error = None
    for frame in outcome.frames:
        warnings = frame.get("warnings")
        if isinstance(warnings, list):
            verdict.warnings.extend(w for w in warnings if isinstance(w, str))
        if frame.get("type") == "load_error":
            load_error = frame
        for item in frame.get("results", []) if isinstance(frame.get("results"), list) else []:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                results[item["name"]] = item
    graded = [_grade_case(problem, case, results.get(case.name), references) for case in cases]
    _forgive_replaced_params(problem, graded)
    not_run = reason_not_run(outcome, load_error, limits)
    for item in graded:
        if item.result.message == "" and not_run:
            item.result.message = f"Not run: {not_run}"
        elif item.result.message == "":
            item.result.message = "Not run: the sandbox stopped before this test."
    verdict.tests = [g.result for g in graded]
    verdict.figures = _figures(problem, graded, references)
    decision = decide(problem, outcome, load_error, graded, references, limits)
    verdict.status, verdict.message, verdict.hint = decision.status, decision.message, decision.hint
    if is_starter and not verdict.accepted:
        verdict.hint = problem.starter_hint
    return verdict


def _grade_case(problem: Problem, case: Case, reported: dict[str, Any] | None, refs: ReferenceCache) -> GradedCase:
    visible = not case.hidden
    result = TestResult(name=case.name, hidden=case.hidden, passed=False, message="")
    expected = refs.expected_parts(problem, case.inputs)
    if visible:
        result.input = dict(case.inputs)
        result.expected = _answer_lists(problem, expected)
    if reported is None:
        return GradedCase(case, result, None, None, [], None)
    params = [p for p in reported.get("params", []) if isinstance(p, dict)] if isinstance(reported.get("params"), list) else []
    error = reported.get("error") if isinstance(reported.get("error"), dict) else None
    state = ModelState.from_dict(reported.get("state")) if visible else None
    recording = Recording.from_dict(checked_recording(reported.get("panels"))) if visible else None
    if error is not None:
        result.message = _error_sentence(error, visible)
        return GradedCase(case, result, None, error, params, None, state, recording=recording)
    comparison = compare_answer(problem.output_names, reported, expected, problem.rtol, problem.atol)
    result.passed = comparison.passed
    result.message = comparison.message
    result.max_abs_error = comparison.max_abs_error
    got = comparison.parts if any(part is not None for part in comparison.parts) else None
    if visible and got is not None:
        result.got = _answer_lists(problem, got)
    shapes = [tuple(p["shape"]) for p in params if isinstance(p.get("shape"), list)]
    finding = problem.check_params(case.inputs, shapes) if problem.check_params else None
    if finding is not None and _final_params_pass(problem, case, state):
        finding = None  # a Param built and then replaced: what the model holds at the end is right
    graded = GradedCase(case, result, got, None, params, finding.hint if finding else None, state, recording=recording)
    if finding is not None and result.passed:
        graded.param_message = finding.message
        result.passed = False
        result.message = finding.message
    if case.hidden:
        result.message = "Passed." if result.passed else _hidden_failure(result.message)
    return graded


def _final_params_pass(problem: Problem, case: Case, state: ModelState | None) -> bool:
    """True when the Params the learner's module holds at the end are the ones check_params wants."""
    if problem.check_params is None or state is None or not state.built or state.truncated or state.traced:
        return False
    shapes = [v.shape for v in state.variables if v.type == "Param" and v.shape is not None]
    return bool(shapes) and problem.check_params(case.inputs, shapes) is None


def _forgive_replaced_params(problem: Problem, graded: list[GradedCase]) -> None:
    """Hidden tests report no state: when a visible test's final state showed the right Params,
    the created-Param count that refused the hidden ones is not held against the answer either."""
    if not any(_final_params_pass(problem, g.case, g.state) for g in graded):
        return
    for item in graded:
        item.param_hint = None
        if item.param_message is not None:
            item.result.passed = True
            item.result.message = "Passed."


def _answer_lists(problem: Problem, parts: list[np.ndarray | None]) -> list[Any]:
    """An answer as JSON lists: the array itself, or one entry per named part."""
    lists = [part.tolist() if part is not None else None for part in parts]
    return lists if problem.output_names else lists[0]


def _hidden_failure(message: str) -> str:
    # Hidden tests say how the answer was wrong in fixed words: nothing the learner's code chose
    # (type names, shapes, values) may carry a hidden input out.
    if message.startswith("Your output has shape"):
        return "Wrong answer: the output's shape is not the expected one."
    if message.startswith("Your function returned"):
        return "Wrong answer: your function did not return an array of numbers of the expected size."
    if message.startswith("Your module created") or message.startswith("Your kernel has shape"):
        return "Wrong answer: the module's parameters are not the expected ones."
    return "Wrong answer: the output differs from the expected values."


def _error_sentence(error: dict[str, Any], visible: bool) -> str:
    kind = str(error.get("type", "Exception"))[:80]
    if not visible:
        # A class name or line number could be chosen to spell out a hidden input: name only
        # Python's own exception types, and no line.
        shown = kind if isinstance(getattr(builtins, kind, None), type) else "an exception"
        return f"Your code raised {shown} in this hidden test (details of hidden tests are not shown)."
    line = error.get("line")
    where = f" at line {line}" if isinstance(line, int) else ""
    text = str(error.get("text", kind))
    return f"Your code raised {kind}{where}: {text.removeprefix(kind + ': ')}"



def _figures(problem: Problem, graded: list[GradedCase], refs: ReferenceCache) -> list[Figures]:
    figures = []
    for item in graded:
        if item.case.hidden:
            continue
        expected = refs.expected_parts(problem, item.case.inputs)
        reference_params = refs.reference_params(problem, item.case.inputs)
        want = _kernel_shape(problem, item.case.inputs, reference_params)
        kernel, note = _learner_kernel(item, want)
        kernel_index = next((i for i, p in enumerate(reference_params) if p.shape == want), None)
        main = next((i for i, part in enumerate(expected) if part.ndim == 1), 0)
        got = item.got[main] if item.got is not None else None
        drawn = Figures(
            test_name=item.case.name,
            learner_kernel=kernel,
            reference_kernel=reference_params[kernel_index].tolist() if kernel_index is not None else None,
            kernel_note=note,
            got=got.ravel().tolist() if got is not None and got.shape == expected[main].shape else None,
            expected=expected[main].ravel().tolist(),
            panels=_param_panels(item, reference_params, kernel_index)
            + _output_panels(problem, item, expected, main)
            + _problem_panels(problem, item, expected),
            learner_state=item.state,
            reference_state=refs.reference_state(problem, item.case.inputs),
        )
        _add_own_charts(problem, item, expected, refs, drawn)
        figures.append(drawn)
    return figures


def _add_own_charts(problem: Problem, item: GradedCase, expected: list[np.ndarray], refs: ReferenceCache, drawn: Figures) -> None:
    """The problem's own panels (its folder's panels.py), in place of the generic charts it replaces."""
    declared = panels_for(problem.id)
    if declared is None:
        return
    reference = refs.reference_recording(problem, item.case.inputs) or Recording()
    inputs = PanelInputs(item.case.inputs, item.recording, reference, item.got, expected)
    try:
        drawn.charts = declared.draw(inputs)
    except Exception as exc:  # noqa: BLE001 - a chart that cannot be drawn must not cost the verdict
        drawn.charts = [Chart("bars", "This problem's own panels", None, None, note=f"They could not be drawn ({type(exc).__name__}).")]
    if declared.replaces_generic_charts:
        drawn.learner_kernel = drawn.reference_kernel = drawn.kernel_note = None
        drawn.panels = []


def _kernel_shape(problem: Problem, inputs: dict[str, Any], reference_params: list[np.ndarray]) -> tuple[int, ...] | None:
    if problem.kernel_shape is not None:
        return problem.kernel_shape(inputs)
    return next((p.shape for p in reference_params if p.ndim == 2), None)


def _param_panels(item: GradedCase, reference_params: list[np.ndarray], kernel_index: int | None) -> list[Panel]:
    """The reference's other parameters beside the learner's, paired in creation order."""
    panels = []
    for index, reference in enumerate(reference_params):
        if index == kernel_index or reference.ndim > 2:
            continue
        mine, note = _decoded_param(item.params[index] if index < len(item.params) else None, reference.shape)
        panels.append(
            Panel(
                kind="heatmaps" if reference.ndim == 2 else "bars",
                title=f"parameter {index + 1} (shape {reference.shape})",
                learner=mine,
                reference=reference.tolist() if reference.ndim else [float(reference)],
                note=note,
            )
        )
    return panels


def _decoded_param(described: dict[str, Any] | None, shape: tuple[int, ...]) -> tuple[list[Any] | None, str | None]:
    if described is None:
        return None, "Your module has no parameter here."
    data, got_shape = described.get("data"), described.get("shape")
    if tuple(got_shape or ()) != shape:
        return None, f"Your parameter here has shape {tuple(got_shape or ())}; the reference's is {shape}."
    array, _ = decode_output({"kind": "array", "shape": got_shape, "data": data})
    if array is None:
        return None, "This parameter could not be read back."
    return (array.tolist() if array.ndim else [float(array)]), None


def _output_panels(problem: Problem, item: GradedCase, expected: list[np.ndarray], main: int) -> list[Panel]:
    """The answer's other named parts beside the expected ones."""
    panels = []
    for index, name in enumerate(problem.output_names):
        if index == main or expected[index].ndim > 2:
            continue
        got = item.got[index] if item.got is not None else None
        usable = got is not None and got.shape == expected[index].shape
        panels.append(
            Panel(
                kind="heatmaps" if expected[index].ndim == 2 else "bars",
                title=name,
                learner=(got.tolist() if got.ndim else [float(got)]) if usable else None,
                reference=expected[index].tolist() if expected[index].ndim else [float(expected[index])],
                note=None if usable else "Your answer has no usable value for this part.",
            )
        )
    return panels


def _problem_panels(problem: Problem, item: GradedCase, expected: list[np.ndarray]) -> list[Panel]:
    """The pictures the problem itself asks for (e.g. an image and its feature maps)."""
    if problem.heatmaps is None:
        return []
    drawn = problem.heatmaps(item.case.inputs, item.got, expected)
    return [Panel(kind="heatmaps", title=h.title, learner=h.learner, reference=h.reference, note=h.note) for h in drawn]


def _learner_kernel(item: GradedCase, want: tuple[int, ...] | None) -> tuple[list[list[float]] | None, str | None]:
    if want is None:
        return None, None  # the reference has no kernel either: nothing to draw or explain
    if item.error is not None and not item.params:
        return None, "Your code raised an error before a kernel could be captured."
    if not item.params:
        return None, "Your module created no nnx.Param, so there is no kernel to draw."
    two_d = [p for p in item.params if _is_shape(p.get("shape"), 2)]
    chosen = next((p for p in two_d if tuple(p["shape"]) == want), two_d[0] if two_d else None)
    if chosen is None:
        return None, "None of your parameters is a 2-D kernel."
    data, shape = chosen.get("data"), chosen["shape"]
    if not isinstance(data, list) or len(data) != shape[0] * shape[1]:
        return None, "Your kernel is too large to draw."
    array, _ = decode_output({"kind": "array", "shape": shape, "data": data})
    if array is None:
        return None, "Your kernel could not be read."
    note = None if want is None or tuple(shape) == want else f"Your kernel has shape {tuple(shape)}; the reference's is {want}."
    return array.tolist(), note


def _is_shape(shape: Any, ndim: int) -> bool:
    return (
        isinstance(shape, list)
        and len(shape) == ndim
        and all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 4096 for n in shape)
    )
