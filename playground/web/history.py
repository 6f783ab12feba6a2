"""The submission history as the page shows it: rows, labels, times and diffs."""

from __future__ import annotations

import difflib
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from playground.store import ProgressState, SubmissionRecord
from playground.web.format import format_ms, status_words

UNREADABLE = "Unreadable (skipped)"
# Streamlit markdown: Material icons ship with Streamlit, so they render without emoji fonts.
PROGRESS_ICONS = {
    ProgressState.SOLVED: ":green[:material/check_circle:]",
    ProgressState.ATTEMPTED: ":orange[:material/edit_note:]",
    ProgressState.NOT_STARTED: ":gray[:material/radio_button_unchecked:]",
}


def browser_zone(name: str | None) -> tzinfo:
    """The browser's time zone by its IANA name, or UTC when it is unknown or not given."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def when(created_at: str, now: datetime | None = None, zone: tzinfo = UTC) -> str:
    """A stored UTC time in the learner's zone, as 'YYYY-MM-DD HH:MM CET (5 min ago)'."""
    try:
        moment = datetime.fromisoformat(created_at)
    except (TypeError, ValueError):
        return str(created_at)[:40]
    try:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        now = now or datetime.now(UTC)
        local = moment.astimezone(zone)
        return f"{local:%Y-%m-%d %H:%M} {local.tzname() or 'UTC'} ({_ago((now - moment).total_seconds())})"
    except (ValueError, OverflowError):
        # A time at the edge of the calendar cannot move to another zone: it is no time the page recorded.
        return "unknown time"


def _ago(seconds: float) -> str:
    if seconds < 60:
        return "just now"
    for size, unit in ((86_400, "day"), (3_600, "hour"), (60, "min")):
        if seconds >= size:
            count = int(seconds // size)
            plural = "s" if count > 1 and unit != "min" else ""
            return f"{count} {unit}{plural} ago"
    return "just now"


def history_rows(
    records: list[SubmissionRecord], now: datetime | None = None, zone: tzinfo = UTC
) -> list[dict[str, str]]:
    """One table row per submission, newest first, numbered from the learner's first."""
    return [
        {
            "#": str(len(records) - i),
            "When": when(r.created_at, now, zone),
            "Result": status_words(r.status),
            "Passed": f"{r.passed}/{r.total}",
            "Time": format_ms(r.elapsed_ms),
        }
        if not r.unreadable
        else {"#": str(len(records) - i), "When": "—", "Result": UNREADABLE, "Passed": "—", "Time": "—"}
        for i, r in enumerate(records)
    ]


def record_label(number: int, record: SubmissionRecord, now: datetime | None = None, zone: tzinfo = UTC) -> str:
    """A one-line label for picking a submission."""
    moment = when(record.created_at, now, zone)
    return f"#{number} · {status_words(record.status)} · {record.passed}/{record.total} · {moment}"


def code_diff(old: str, new: str, old_name: str, new_name: str, max_lines: int = 2_000) -> str:
    """A unified diff from old to new, or '' when they are the same; a note instead when either is too long.

    difflib's matching grows with the product of the two lengths and holds the GIL meanwhile: past
    max_lines lines on either side the page says so instead of comparing.
    """
    if old == new:
        return ""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    longest = max(len(old_lines), len(new_lines), max(map(len, old_lines), default=0) // 200)
    if longest > max_lines:
        return f"# Too long to compare here (over {max_lines:,} lines): download your history to compare it elsewhere.\n"
    lines = difflib.unified_diff(old_lines, new_lines, fromfile=old_name, tofile=new_name)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def progress_label(state: ProgressState | None) -> str:
    """A problem's progress as an icon and words, for the picker's caption."""
    state = state or ProgressState.NOT_STARTED
    return f"{PROGRESS_ICONS[state]} {state.value.replace('_', ' ').capitalize()}"
