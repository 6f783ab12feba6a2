"""A run's status and its one-sentence message: how the sandbox ended first, then how the tests went."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.judge.graded import GradedCase
from playground.judge.hints import error_hint, wrong_answer_hint
from playground.judge.reference import ReferenceCache
from playground.judge.verdict import Status, internal_error_message
from playground.problems import Problem
from playground.sandbox.processes import how_ended
from playground.sandbox.records import Limits, RunOutcome


@dataclass(frozen=True)
class Decision:
    """A run's status, the one sentence saying what happened, and a hint when a cause is recognised."""

    status: Status
    message: str
    hint: str | None = None


def decide(
    problem: Problem,
    outcome: RunOutcome,
    load_error: dict[str, Any] | None,
    graded: list[GradedCase],
    refs: ReferenceCache,
    limits: Limits,
) -> Decision:
    """The verdict's status, message and hint: our failure first, then loading, the sandbox's limits, the tests."""
    if outcome.internal_error:
        return Decision(Status.INTERNAL_ERROR, internal_error_message(outcome.internal_error))
    if load_error is not None:
        return _load_error_decision(problem, load_error)
    return _stopped_decision(outcome, graded, limits) or _tests_decision(problem, outcome, graded, refs)


def reason_not_run(outcome: RunOutcome, load_error: dict[str, Any] | None, limits: Limits) -> str | None:
    """Why the tests without a result did not run, when the run says so; None otherwise."""
    if outcome.internal_error:
        return "the playground failed (not your code); please try again."
    if load_error is not None:
        return "your code could not be loaded."
    if outcome.timed_out:
        return f"the {limits.wall_seconds:g}-second time limit was reached."
    if outcome.output_exceeded:
        return "the output limit was reached."
    if outcome.memory_exceeded:
        return "the memory limit was reached."
    return None


def _stopped_decision(outcome: RunOutcome, graded: list[GradedCase], limits: Limits) -> Decision | None:
    """The sandbox stopped the code (a broken channel, or a limit reached); None when it did not."""
    if outcome.protocol_error or outcome.setup_error:
        return Decision(
            Status.RUNTIME_ERROR,
            "Your code broke the channel the judge reads results from, so nothing could be checked.",
            "Do not write to file descriptors or close them; print() is fine.",
        )
    if outcome.timed_out:
        passed = sum(1 for g in graded if g.result.passed)
        # No hint: a time limit alone says nothing about why. The code may loop, or an op may wait
        # on the machine, and guessing "a loop" misleads whenever it is the second.
        return Decision(
            Status.TIME_LIMIT_EXCEEDED,
            f"Your code ran past the {limits.wall_seconds:g}-second time limit ({passed} of {len(graded)} tests had passed).",
        )
    if outcome.output_exceeded:
        return Decision(
            Status.OUTPUT_LIMIT_EXCEEDED,
            f"Your code printed more than {limits.output_bytes // 1024} KiB, so it was stopped.",
            "Print less: a few lines while debugging are plenty, and remove prints inside loops.",
        )
    # A SIGKILL is the memory limit only when the cgroup says so: others came from outside and were retried.
    if outcome.memory_exceeded or any(g.error and g.error.get("memory") for g in graded):
        return Decision(
            Status.MEMORY_LIMIT_EXCEEDED,
            f"Your code used more than the {limits.memory_bytes / 2**30:g} GiB memory limit.",
            "Avoid building huge arrays or lists: this problem needs only a few small arrays.",
        )
    return None


def _tests_decision(problem: Problem, outcome: RunOutcome, graded: list[GradedCase], refs: ReferenceCache) -> Decision:
    """The run ended on its own: the process ended early, a test raised, or the answers are right or wrong."""
    total = len(graded)
    passed = sum(1 for g in graded if g.result.passed)
    first_error = next((g for g in graded if g.error is not None), None)
    missing = [g for g in graded if g.result.message.startswith("Not run")]
    if missing and first_error is None:
        return Decision(
            Status.RUNTIME_ERROR,
            f"Your code ended the Python process ({_how_it_ended(outcome.exit_code)}) before the tests finished.",
            "Do not call os._exit, sys.exit or kill processes; a crash like a segmentation fault also ends it.",
        )
    if first_error is not None:
        # Hints come from visible tests' errors only: which hint matched is itself information.
        visible_error = next((g.error for g in graded if g.error is not None and not g.case.hidden), None)
        return Decision(
            Status.RUNTIME_ERROR,
            f"Test {first_error.case.name}: {first_error.result.message}",
            error_hint(problem, visible_error) if visible_error else None,
        )
    if passed == total:
        return Decision(Status.ACCEPTED, f"All {total} tests passed.")
    first_failure = next(g for g in graded if not g.result.passed)
    return Decision(
        Status.WRONG_ANSWER,
        f"{passed} of {total} tests passed; the first failure is {first_failure.case.name}: {first_failure.result.message}",
        wrong_answer_hint(problem, graded, refs),
    )


def _how_it_ended(code: int | None) -> str:
    if code is None:
        return "it stopped answering"
    return f"killed by {how_ended(code)}" if code < 0 else how_ended(code)


def _load_error_decision(problem: Problem, frame: dict[str, Any]) -> Decision:
    kind = frame.get("kind")
    error = frame.get("error") if isinstance(frame.get("error"), dict) else {}
    name = problem.entry_point
    signature = "(" + ", ".join(a.name for a in problem.arguments) + ")"
    if kind == "syntax":
        return Decision(Status.COMPILE_ERROR, syntax_sentence(error))
    if kind == "missing":
        return Decision(
            Status.COMPILE_ERROR,
            f"No function named {name} was found in your code.",
            f"Define it at the top level: def {name}{signature}:",
        )
    if kind == "not_callable":
        return Decision(
            Status.COMPILE_ERROR,
            f"{name} is a {str(error.get('type', 'value'))[:60]}, not a function.",
            f"Define it as a function: def {name}{signature}:",
        )
    if kind == "signature":
        return Decision(
            Status.COMPILE_ERROR,
            f"{name} must accept {len(problem.arguments)} arguments {signature}: {str(error.get('text', ''))[:200]}",
            f"Use exactly this signature: def {name}{signature}:",
        )
    if error.get("memory"):
        return Decision(Status.MEMORY_LIMIT_EXCEEDED, "Your code ran out of memory while loading.")
    line = error.get("line")
    where = f" at line {line}" if isinstance(line, int) else ""
    text = str(error.get("text", "an exception"))
    return Decision(
        Status.RUNTIME_ERROR,
        f"Your code raised {str(error.get('type', 'an exception'))[:80]}{where} while loading: {text}",
        error_hint(problem, error),
    )


def syntax_sentence(error: dict[str, Any]) -> str:
    """One sentence for a syntax error, naming its line."""
    line = error.get("line")
    code = error.get("code")
    text = str(error.get("text", "SyntaxError"))
    where = f" on line {line}" if isinstance(line, int) else ""
    shown = f" (`{code}`)" if code else ""
    return f"Your code has a syntax error{where}{shown}: {text.split(': ', 1)[-1]}"
