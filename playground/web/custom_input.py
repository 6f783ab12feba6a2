"""Checks on what the learner typed (code and custom input) before anything is judged."""

from __future__ import annotations

import ast
import unicodedata
from typing import Any

from playground.problems import Problem

# Characters that word processors and web pages put where Python needs plain ASCII.
LOOKALIKES = {
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u2032": "'",
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u3000": " ",
    "\u2212": "-",
    "\u2010": "-",
    "\u2011": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u00d7": "*",
    "\u2026": "...",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
}
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}


def source_issue(source: str, entry_point: str, max_bytes: int) -> str | None:
    """A sentence saying why this code cannot be judged (empty, too large, stray characters), or None."""
    if not source.strip():
        return (
            f"The editor is empty: write a function named `{entry_point}`, "
            "or press Reset to start again from the starter code."
        )
    size = len(source.encode("utf-8", errors="replace"))
    if size > max_bytes:
        return (
            f"Your code is {size:,} bytes, over the {max_bytes:,}-byte limit: "
            "remove pasted output or unused code (a solution fits in a few dozen lines)."
        )
    control = _first(source, lambda ch: unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS)
    if control is not None:
        line, column, ch = control
        return (
            f"Line {line}, column {column} holds an invisible control character ({_name(ch)}), "
            "probably from pasted binary data: delete it."
        )
    if source.isascii():
        return None
    stray = _stray_character(source)
    if stray is None:
        return None
    line, column, ch = stray
    replacement = LOOKALIKES.get(ch)
    advice = (
        f"type {_shown(replacement)} instead" if replacement is not None else "replace it with plain ASCII"
    )
    return (
        f"Line {line}, column {column} has {_glyph(ch)} ({_name(ch)}), which Python does not accept there: "
        f"{advice}. Text copied from web pages or word processors often carries such characters."
    )


def has_lookalikes(source: str) -> bool:
    """True when the code contains characters that fix_lookalikes would replace."""
    return any(ch in LOOKALIKES for ch in source)


def fix_lookalikes(source: str) -> str:
    """The code with curly quotes, odd spaces and dashes replaced by their ASCII forms."""
    return "".join(LOOKALIKES.get(ch, ch) for ch in source)


def field_defaults(problem: Problem) -> dict[str, tuple[str, bool]]:
    """Starting text for each custom-input field (from the first visible example) and whether it is a list."""
    example = problem.visible_cases()[0].inputs
    return {name: (_as_text(example.get(name)), isinstance(example.get(name), list)) for name in problem.custom_fields}


def _as_text(value: Any) -> str:
    if isinstance(value, list) and value and isinstance(value[0], list):
        return "; ".join(_as_text(row) for row in value)  # a matrix: rows separated by semicolons
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)
    return f"{value:g}" if isinstance(value, (int, float)) else str(value or "")


def parse_custom(
    problem: Problem, fields: dict[str, str], max_bytes: int = 4_096
) -> tuple[dict[str, Any] | None, str | None]:
    """The problem's inputs from the learner's text fields, or an error sentence; never raises.

    Text over max_bytes in all is refused before anything splits or parses it.
    """
    cleaned = {name: str(fields.get(name, "") or "") for name in problem.custom_fields}
    size = sum(len(text.encode("utf-8", errors="replace")) for text in cleaned.values())
    if size > max_bytes:
        return None, (
            f"Your own input is {size:,} bytes, over the {max_bytes:,}-byte limit: use fewer or shorter numbers"
            " (the examples' inputs are a good size)."
        )
    missing = [name for name, text in cleaned.items() if not text.strip()]
    if missing:
        return None, f"Fill in {_join(missing)} to run your own input, or turn the custom input off."
    try:
        return problem.parse_custom_input(cleaned)
    except Exception:  # noqa: BLE001 - a parser bug must not become a traceback on the page
        return None, "That input could not be read; write each field like the first example's values."


def _stray_character(source: str) -> tuple[int, int, str] | None:
    # Non-ASCII text is fine in strings, comments and names; complain only when it breaks parsing.
    try:
        ast.parse(source)
        return None
    except SyntaxError as exc:
        found = _first_on_line(source, exc.lineno)
        return found or _first(source, lambda ch: ch in LOOKALIKES)
    except (ValueError, RecursionError, MemoryError):
        return None


def _first_on_line(source: str, lineno: int | None) -> tuple[int, int, str] | None:
    lines = source.splitlines()
    if lineno is None or not 1 <= lineno <= len(lines):
        return None
    for column, ch in enumerate(lines[lineno - 1], start=1):
        if not ch.isascii() and not ch.isidentifier() and not ("a" + ch).isidentifier():
            return lineno, column, ch
    return None


def _first(source: str, wanted: Any) -> tuple[int, int, str] | None:
    for lineno, line in enumerate(source.splitlines(), start=1):
        for column, ch in enumerate(line, start=1):
            if wanted(ch):
                return lineno, column, ch
    return None


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def _glyph(ch: str) -> str:
    if ch.isspace() or unicodedata.category(ch) in {"Cf", "Zs"}:
        return "an invisible character"
    return f"`{ch}`"


def _shown(text: str) -> str:
    if text == "":
        return "nothing"
    if text.strip() == "":
        return "a plain space"
    return f"`{text}`"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
