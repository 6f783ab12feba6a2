"""Text the page shows for a verdict (a Verdict.to_dict() object): banner, summary, test table."""

from __future__ import annotations

import math
import re
from typing import Any

from playground.judge.verdict import Status

MAX_LISTED_VALUES = 8
INTERNAL_ERROR = "internal_error"  # the judge contract's status for a failure of ours, not of the code
# CommonMark lets a backslash escape any ASCII punctuation. These characters start a construct (link,
# image, emphasis, code, HTML, entity, table, strikethrough, maths in Streamlit) wherever they stand.
_ALWAYS = frozenset("\\`*[]<>~$|&#@:{}^!")
# These only start one at the beginning of a line (list item, setext underline, thematic break).
_LINE_START = frozenset("-+=_")
# Streamlit swaps ":material/" for an icon before parsing, remark-emoji turns ":name:" into an emoji and
# remark-gfm links bare addresses: an invisible word joiner inside each keeps them from matching.
_WORD_JOINER = "\u2060"
_SPAN = re.compile(r"`([^`\n]+)`|(?<![\w`])(__\w+?__)(?![\w`])")
_WWW = re.compile(r"(?i)(www)\.")
_LIST_NUMBER = re.compile(r"(?m)^([ \t]*\d{1,9})([.)])")


def escape_markdown(text: object) -> str:
    """Text that st.markdown shows exactly as written: nothing in it can become a link, image, heading,
    table, list, emphasis, HTML, maths, icon or emoji. A `span` in single backticks and __dunder__ names
    are shown as code (their text unchanged)."""
    text = str(text)
    out, last = [], 0
    for match in _SPAN.finditer(text):
        out.append(_escape_plain(text[last : match.start()], at_line_start=last == 0 or text[last - 1] == "\n"))
        out.append(code_span(match.group(1) or match.group(2)))
        last = match.end()
    out.append(_escape_plain(text[last:], at_line_start=last == 0 or text[last - 1] == "\n"))
    return "".join(out)


def code_span(text: str) -> str:
    """One line of text as a markdown code span: shown verbatim, never parsed."""
    text = str(text).replace("\r", " ").replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or longest else text
    return fence + _break_shortcodes(padded) + fence


def _escape_plain(text: str, *, at_line_start: bool) -> str:
    out = []
    line_start = at_line_start
    for index, ch in enumerate(text):
        if ch in _ALWAYS:
            out.append("\\" + ch)
        elif ch == "_":
            before = text[index - 1] if index else " "
            after = text[index + 1] if index + 1 < len(text) else " "
            # An underscore inside a word (in_features, example_1) can neither open nor close emphasis.
            out.append("_" if before.isalnum() and after.isalnum() and not line_start else "\\_")
        elif ch in _LINE_START and line_start:
            out.append("\\" + ch)
        else:
            out.append(ch)
        if ch == "\n":
            line_start = True
        elif not ch.isspace():
            line_start = False
    escaped = _LIST_NUMBER.sub(r"\1\\\2", "".join(out)) if at_line_start or "\n" in text else "".join(out)
    return _break_shortcodes(escaped)


def _break_shortcodes(text: str) -> str:
    # remark-gfm finds bare links (scheme://, www., name@host) in the parsed text, after escapes are gone:
    # only a character between the parts stops it, so these get the invisible word joiner too.
    text = _WWW.sub(r"\1" + _WORD_JOINER + ".", text)
    text = text.replace("@", "@" + _WORD_JOINER)
    return re.sub(r":(?=[A-Za-z0-9/])", ":" + _WORD_JOINER, text)


def status_words(status: str) -> str:
    """The page's words for a status value, e.g. "Wrong answer"."""
    try:
        return Status(status).words
    except ValueError:
        return str(status).replace("_", " ").capitalize() or "Unknown"


def is_accepted(verdict: dict[str, Any]) -> bool:
    """True when the verdict's status is accepted."""
    return verdict.get("status") == Status.ACCEPTED.value


def is_internal_error(verdict: dict[str, Any]) -> bool:
    """True when the playground, not the learner's code, failed: shown as a warning and never recorded."""
    return verdict.get("status") == INTERNAL_ERROR


def banner(verdict: dict[str, Any]) -> str:
    """The verdict's headline in markdown: the status in words, then the judge's message."""
    words = status_words(str(verdict.get("status", "")))
    message = escape_markdown(str(verdict.get("message", "")))
    if is_accepted(verdict) and verdict.get("mode") == "run":
        return f"**{words}** on the examples: {message} Submit to run the hidden tests too."
    return f"**{words}**: {message}"


def summary(verdict: dict[str, Any]) -> str:
    """One line: tests passed, mode and time taken."""
    passed, total = verdict.get("passed", 0), verdict.get("total", 0)
    took = f"judged in {format_ms(verdict.get('elapsed_ms'))}"
    if is_internal_error(verdict):
        return f"Not recorded as a submission: the playground failed, not your code · {took}"
    if not total:
        return f"No tests ran: the code could not be loaded · {took}"
    what = "examples" if verdict.get("mode") == "run" else "tests"
    return f"{passed} of {total} {what} passed · {took}"


def format_ms(value: Any) -> str:
    """A duration in milliseconds, as '48 ms' or '10.5 s'."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        return "?"
    if value < 1:
        return "under 1 ms"
    return f"{value:.0f} ms" if value < 1000 else f"{value / 1000:.1f} s"


def format_number(value: Any) -> str:
    """A number as the page shows it: six significant digits; whole floats without '.0'."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6g}"
    return str(value)


def format_values(values: Any) -> str:
    """A list of numbers, shortened to its first few values."""
    if values is None:
        return "—"
    if not isinstance(values, list):
        return format_number(values)
    shown = ", ".join(format_values(v) if isinstance(v, list) else format_number(v) for v in values[:MAX_LISTED_VALUES])
    more = len(values) - MAX_LISTED_VALUES
    return f"[{shown}, … {more} more]" if more > 0 else f"[{shown}]"


def format_inputs(inputs: Any) -> str:
    """A test's inputs in argument order, as 'seed=0, x=[1, 2, 3], features=4'."""
    if not isinstance(inputs, dict):
        return "—"
    return ", ".join(f"{name}={format_values(value)}" for name, value in inputs.items())


def test_rows(verdict: dict[str, Any]) -> list[dict[str, str]]:
    """One markdown row per test for st.table; hidden tests show pass or fail only."""
    rows = []
    for test in verdict.get("tests") or []:
        if not isinstance(test, dict):
            continue
        hidden = bool(test.get("hidden"))
        error = test.get("max_abs_error")
        rows.append(
            {
                "Test": _code(str(test.get("name", "?"))),
                "Result": ":green[✓\u00a0passed]" if test.get("passed") else ":red[✗\u00a0failed]",
                "Input": "_hidden_" if hidden else _code(format_inputs(test.get("input"))),
                "Expected": "_hidden_" if hidden else _code(format_values(test.get("expected"))),
                "Got": "_hidden_" if hidden else _code(format_values(test.get("got"))),
                "Largest error": "—" if hidden or error is None else _code(f"{error:.3g}"),
                "Details": escape_markdown(str(test.get("message", ""))),
            }
        )
    return rows


def _code(text: str) -> str:
    return code_span(text)


def first_failing(names_passed: list[tuple[str, bool]]) -> int:
    """Index of the first failing test in (name, passed) pairs, or 0 when all pass."""
    return next((i for i, (_, passed) in enumerate(names_passed) if not passed), 0)
