"""History times are shown in the learner's own time zone, and diffs say what changed."""

from datetime import UTC, datetime

from playground.web.history import browser_zone, code_diff, when

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_times_follow_the_browser_zone():
    assert when("2026-11-26T11:00:00+00:00", NOW, browser_zone("Europe/Berlin")) == "2026-11-26 12:00 CET (1 hour ago)"
    assert when("2026-11-26T11:59:30+00:00", NOW, browser_zone("America/New_York")).startswith("2026-11-26 06:59 EST")


def test_unknown_or_missing_zone_falls_back_to_utc():
    for name in (None, "", "Not/AZone", "../../etc/passwd"):
        assert when("2026-11-24T12:00:00", NOW, browser_zone(name)) == "2026-11-24 12:00 UTC (2 days ago)"


def test_unreadable_time_is_shown_as_stored():
    assert when("yesterday-ish", NOW) == "yesterday-ish"


def test_diff_names_the_changed_lines():
    diff = code_diff("a = 1\nb = 2\n", "a = 1\nb = 3\n", "submission", "draft")
    assert "-b = 2\n" in diff and "+b = 3\n" in diff
    assert code_diff("same\n", "same\n", "x", "y") == ""
