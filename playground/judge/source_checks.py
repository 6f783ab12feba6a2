"""Sources that cannot be judged at all (not text, empty, oversized, undecodable, a syntax error), refused
with a compile_error verdict before any sandbox is used: the same answer from every judge."""

from __future__ import annotations

from typing import Any

from playground.judge.grading import syntax_sentence
from playground.judge.sources import SourceFile
from playground.judge.verdict import Mode, Status, Verdict
from playground.problems import Problem

MAX_SOURCE_BYTES = 100_000


def file_refusal(problem: Problem, source: SourceFile, mode: Mode) -> Verdict | None:
    """A compile_error verdict for a file that cannot be judged (undecodable or oversized), or None."""
    if source.decode_error is not None:
        return _refusal(
            problem,
            mode,
            source.name,
            f"The file cannot be judged because {source.decode_error}.",
            "Save the file as UTF-8 text (most editors offer this under Save As or Encoding).",
        )
    if source.size > MAX_SOURCE_BYTES:
        return _refusal(problem, mode, source.name, *_size_message(source.size))
    return None


def _refusal(problem: Problem, mode: Mode, file: str, message: str, hint: str | None = None) -> Verdict:
    return Verdict(problem=problem.id, file=file, mode=mode, status=Status.COMPILE_ERROR, message=message, hint=hint)


def _size_message(size: int) -> tuple[str, str]:
    return (
        f"Your code is {size:,} bytes, over the {MAX_SOURCE_BYTES:,}-byte limit.",
        "A solution to this problem fits in a few dozen lines: remove pasted output or unused code.",
    )


def source_refusal(problem: Problem, source: Any, mode: Mode, file: str) -> Verdict | None:
    """A compile_error verdict for source that cannot run at all (empty, oversized, a syntax error), or None."""

    def refuse(message: str, hint: str | None = None) -> Verdict:
        return _refusal(problem, mode, file, message, hint)

    if not isinstance(source, str):
        return refuse("The code must be text.")
    size = len(source.encode("utf-8", errors="replace"))
    if size > MAX_SOURCE_BYTES:
        return refuse(*_size_message(size))
    if not source.strip():
        return refuse(
            f"Your code is empty: write a function named {problem.entry_point}.",
            "Start from the starter code (Reset) and fill in the TODOs.",
        )
    try:
        compile(source, "<submission>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        detail = {"text": f"SyntaxError: {exc.msg}", "line": exc.lineno, "code": (exc.text or "").strip()[:200]}
        return refuse(syntax_sentence(detail), "Check the brackets, colons and indentation on that line and the one before.")
    except (ValueError, MemoryError, RecursionError) as exc:
        return refuse(f"Your code cannot be compiled: {str(exc)[:200] or type(exc).__name__}.")
    return None
