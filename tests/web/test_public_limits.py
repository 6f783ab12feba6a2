"""What an anonymous visitor can send, checked piece by piece: identity, imports, quotas, limits, fair turns."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from playground.judge.local import LearnerTurns
from playground.problems import get_problem
from playground.queue.celery_app import redacted
from playground.settings import Settings
from playground.store import Store, StoreError, StoreRefusal
from playground.web.custom_input import parse_custom
from playground.web.history import code_diff, history_rows, when
from playground.web.identity import Owner, belongs_to, browser_key, new_browser_cookie
from playground.web.limits import SlidingWindow, SubmissionGate

SECRET = b"a test secret"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- identity -----------------------------------------------------------------------------


def test_an_id_belongs_only_to_the_browser_it_was_issued_to() -> None:
    mine = browser_key(new_browser_cookie(SECRET), SECRET)
    theirs = browser_key(new_browser_cookie(SECRET), SECRET)
    assert mine and theirs and mine != theirs
    learner = Owner(mine, SECRET).new_id()
    assert Owner(mine, SECRET).owns(learner) and belongs_to(learner, mine, SECRET)
    assert not Owner(theirs, SECRET).owns(learner)
    assert not Owner(mine, b"another server's secret").owns(learner)
    # Chosen ids and ids of any other shape are never taken.
    for chosen in ("abcdefgh12", "a" * 22, learner[:-1] + ("A" if learner[-1] != "A" else "B"), "acct-" + "0" * 40):
        assert not Owner(mine, SECRET).owns(chosen)


def test_forged_or_tampered_browser_cookies_give_no_key() -> None:
    cookie = new_browser_cookie(SECRET)
    for value in (None, "", "x" * 500, cookie + "0", cookie.replace(".", "!", 1), new_browser_cookie(b"other")):
        assert browser_key(value, SECRET) is None


def test_redacted_hides_passwords_holding_url_characters() -> None:
    for url in ("redis://:pa/ss#w?rd@host:6379/0", "redis://user:p@ss/x?y#z@host/0", "postgresql://u:a/b@db/x"):
        shown = redacted(url)
        assert "***" in shown and "pa" not in shown.split("@")[0].replace("***", "") and shown.endswith(url.rsplit("@", 1)[1])
    assert redacted("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


# --- limits -------------------------------------------------------------------------------


def test_one_submission_in_flight_per_learner_and_per_session_and_a_rate() -> None:
    clock = Clock()
    gate = SubmissionGate(submits_per_minute=3, clock=clock)
    first = gate.enter("ada", "tab-1")
    assert not isinstance(first, str)
    assert "still being judged" in gate.enter("ada", "tab-2")  # the same learner in another tab
    assert "still being judged" in gate.enter("bob", "tab-1")  # the same session under another id
    assert not isinstance(gate.enter("bob", "tab-3"), str)
    gate.leave(first)
    for _ in range(2):
        ticket = gate.enter("ada", "tab-1")
        assert not isinstance(ticket, str)
        gate.leave(ticket)
    assert "more than 3 Runs and Submits in a minute" in gate.enter("ada", "tab-1")
    clock.now += 61
    assert not isinstance(gate.enter("ada", "tab-1"), str)


def test_a_sliding_window_forgets_old_events() -> None:
    clock = Clock()
    window = SlidingWindow(2, 3600.0, clock)
    assert window.take("x") == 0 and window.take("x") == 0
    assert window.take("x") > 3500
    clock.now += 3600
    assert window.take("x") == 0


def test_every_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYGROUND_MAX_CODE_BYTES", "5000")
    monkeypatch.setenv("PLAYGROUND_IMPORTS_PER_HOUR", "2")
    limits = Settings.from_environment().public
    assert limits.code_bytes == 5000 and limits.imports_per_hour == 2 and limits.custom_input_bytes == 4096
    monkeypatch.setenv("PLAYGROUND_SUBMITS_PER_MINUTE", "many")
    with pytest.raises(ValueError, match="PLAYGROUND_SUBMITS_PER_MINUTE"):
        Settings.from_environment()


def test_oversized_custom_input_is_refused_before_it_is_split() -> None:
    problem = get_problem("module_basics_forward")
    fields = {name: "1" for name in problem.custom_fields}
    fields[problem.custom_fields[-1]] = "11, " * 8_000_000
    started = time.perf_counter()
    inputs, error = parse_custom(problem, fields, 4096)
    assert inputs is None and "over the 4,096-byte limit" in error
    assert time.perf_counter() - started < 1.0


def test_diffs_are_bounded() -> None:
    huge = "x = 1\n" * 50_000
    started = time.perf_counter()
    assert "Too long to compare" in code_diff(huge, huge + "y = 2\n", "a", "b", max_lines=2_000)
    assert time.perf_counter() - started < 1.0
    assert "+y = 2" in code_diff("x = 1\n", "x = 1\ny = 2\n", "a", "b")


# --- fair turns in the judge --------------------------------------------------------------


def test_a_burst_from_one_learner_waits_behind_another_learner() -> None:
    turns = LearnerTurns(1)
    order: list[str] = []
    assert turns.enter("flood", time.monotonic() + 5)

    def submit(learner: str, after: float) -> None:
        time.sleep(after)
        assert turns.enter(learner, time.monotonic() + 10)
        order.append(learner)
        time.sleep(0.02)
        turns.leave(learner)

    threads = [threading.Thread(target=submit, args=("flood", 0.01 * i)) for i in range(6)]
    threads.append(threading.Thread(target=submit, args=("other", 0.2)))
    for thread in threads:
        thread.start()
    time.sleep(0.4)
    turns.leave("flood")
    for thread in threads:
        thread.join()
    assert order[0] == "other", order


# --- imports and stored rows --------------------------------------------------------------


def export(**change: object) -> str:
    row = {"problem_id": "module_basics_forward", "created_at": "2024-05-01T10:00:00Z", "mode": "submit",
           "status": "wrong_answer", "passed": 1, "total": 2, "elapsed_ms": 5.0, "code": "x = 1\n",
           "verdict": {"status": "wrong_answer", "mode": "submit", "message": "Some tests failed.", "passed": 1,
                       "total": 2, "tests": [], "stdout": "", "warnings": []}}
    row.update(change)
    return json.dumps({"format": "flax-nnx-playground-history", "version": 1, "drafts": [], "submissions": [row]})


@pytest.fixture()
def store(tmp_path: Path):
    opened = Store(tmp_path)
    yield opened
    opened.close()


LEARNER = "abcdefgh12"


@pytest.mark.parametrize(("change", "named"), [
    ({"status": "accepted<script>"}, '"status"'),
    ({"status": "internal_error"}, "never recorded"),
    ({"mode": "debug"}, '"mode"'),
    ({"passed": "1"}, '"passed"'),
    ({"passed": 3}, "passed is larger than total"),
    ({"elapsed_ms": 1e300}, '"elapsed_ms"'),
    ({"problem_id": "[x](https://evil.example)"}, '"problem_id"'),
    ({"verdict": {"message": "x" * 10_000}}, '"verdict.message"'),
    ({"verdict": {"tests": [{"name": "t", "got": ["a string"]}]}}, '"verdict.tests.0.got"'),
    ({"verdict": {"tests": [{"name": "t", "passed": "yes"}]}}, '"verdict.tests.0.passed"'),
    ({"verdict": {"warnings": ["w"] * 51}}, '"verdict.warnings"'),
])
def test_a_hostile_import_is_refused_naming_what_is_wrong(store: Store, change: dict, named: str) -> None:
    with pytest.raises(StoreRefusal, match=named.replace(".", r"\.").replace("[", r"\[")):
        store.import_json(LEARNER, export(**change))
    assert store.submissions(LEARNER) == []


def test_imported_dates_are_clamped_and_fields_agree(store: Store) -> None:
    store.import_json(LEARNER, export(created_at="9999-12-31T23:59:59+14:00"))
    [record] = store.submissions(LEARNER)
    assert datetime.fromisoformat(record.created_at) <= datetime.now(UTC)
    assert record.verdict["status"] == record.status == "wrong_answer" and not record.unreadable
    assert "unknown time" not in when(record.created_at)


def test_a_bad_stored_row_is_listed_as_unreadable_and_never_raises(store: Store) -> None:
    store.import_json(LEARNER, export())
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE submissions SET status = '<b>x</b>', created_at = '9999-12-31T23:59:59+00:00'")
    [record] = store.submissions(LEARNER)
    assert record.unreadable
    assert history_rows([record])[0]["Result"].startswith("Unreadable")


def test_rows_and_bytes_per_learner_are_capped(store: Store) -> None:
    store.max_rows_per_learner = 2
    verdict = {"mode": "submit", "status": "accepted", "passed": 1, "total": 1, "elapsed_ms": 1.0}
    store.add_submission(LEARNER, "p", "a", verdict)
    store.add_submission(LEARNER, "p", "b", verdict)
    with pytest.raises(StoreRefusal, match="keeps at most 2"):
        store.add_submission(LEARNER, "p", "c", verdict)
    with pytest.raises(StoreRefusal, match="keeps at most 2"):
        store.import_json(LEARNER, export())
    store.max_rows_per_learner, store.max_bytes_per_learner = None, 1_000
    with pytest.raises(StoreError, match="size limit"):
        store.add_submission(LEARNER, "p", "x" * 2_000, verdict)
    assert len(store.submissions(LEARNER)) == 2


def test_the_reference_cache_keeps_only_the_latest_custom_inputs() -> None:
    from playground.judge.local import BoundedReferenceCache

    problem = get_problem("module_basics_forward")
    cache = BoundedReferenceCache([problem], extra=3)
    example = problem.visible_cases()[0].inputs
    cache.expected(problem, example)
    for shift in range(6):
        cache.expected(problem, dict(example, seed=float(1000 + shift)))
    assert len(cache._outputs) == 4  # the case's own answer and the three latest custom ones
    assert len(cache._params) == len(cache._states) == 4
