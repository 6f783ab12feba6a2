"""Fault injection: the sandbox's own processes are killed from outside, as root, and the judge heals.

Each fault is what the kernel's OOM killer, a crash or an operator would do: SIGKILL the zygote
(idle, and while four threads submit), every idle worker, or the worker running a submission; and
SIGKILL the page's server mid-submission. After each, correct code must be accepted again within
HEAL_S, no correct code may be judged anything but accepted or internal_error, no submission may
wait past the wall limit plus 30 s, and once the judge closes nothing of it is left. Heal times are
printed (run with -s to see them).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.judge import Judge
from playground.judge.verdict import Status, Verdict
from tests.support.browser import (
    CHROMIUM_ARGS,
    open_new_learner,
    require_chromium,
    start_streamlit,
    stop_server,
    wait_until_healthy,
)
from tests.support.isolation_required import guard

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = "module_basics_forward"
SOLUTION = (ROOT / "solutions" / f"{PROBLEM}.py").read_text(encoding="utf-8")
UID_BASE = 1_500_000  # workers' uids start here (playground/sandbox/worker_factory.py)
HEAL_S = 15.0  # correct code is accepted again this soon after any fault
OURS_OR_ACCEPTED = {Status.ACCEPTED, Status.INTERNAL_ERROR}
PAGE_TIMEOUT_S = 300  # a page server starts its judge before the first page shows: slow on a busy machine

pytestmark = [
    pytest.mark.faults,
    pytest.mark.slow,
]
protections_in_place = guard("fault injection (it kills the sandbox's processes as root)")

# Every sandbox process any test saw, as (pid, start time), so the last test can check all are gone.
SEEN: set[tuple[int, int]] = set()


# ----- processes, seen from outside ------------------------------------------------------------


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a live process, or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[19])


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None and stat[0] != "Z":
            found.setdefault(stat[1], []).append(int(entry))
    return found


def descendants(root: int) -> list[int]:
    """Every live process below root, parents before children."""
    children, found, todo = _children(), [], [root]
    while todo:
        for child in children.get(todo.pop(0), []):
            found.append(child)
            todo.append(child)
    return found


def remember(pids: list[int]) -> None:
    for pid in pids:
        if (stat := _stat(pid)) is not None:
            SEEN.add((pid, stat[2]))


def alive(pid: int, started: int | None = None) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z" and (started is None or stat[2] == started)


def workers_of(zygote: int) -> list[int]:
    """The sandboxed workers under a zygote: the processes below it that run as a worker's own uid.

    Keepers, the standby and warm templates are trusted and run as root; only workers drop to a uid
    of their own, whether the zygote or a template forked their keeper.
    """
    return [pid for pid in descendants(zygote) if _uid(pid) >= UID_BASE]


def _uid(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return -1
    return int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])


def idle(pid: int) -> bool:
    """True when a worker is warm and waiting for a job (blocked reading its job pipe)."""
    try:
        return "pipe_read" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


def comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def wait_for(condition, timeout: float, what: str):
    """Poll a condition until it returns something truthy; fail naming `what` when it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    pytest.fail(f"{what} did not happen within {timeout:g} s")


def kill(pids: list[int]) -> float:
    """SIGKILL the processes; the moment it was done."""
    remember(pids)
    moment = time.monotonic()
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return moment


def slow_source(marker: str, seconds: float) -> str:
    """Correct code that names its process `marker` and sleeps at load, so it can be caught running."""
    return (
        f"import ctypes, time\nctypes.CDLL(None).prctl(15, {marker.encode()!r}, 0, 0, 0)\ntime.sleep({seconds})\n\n"
        + SOLUTION
    )


# ----- judging ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def judge() -> Iterator[Judge]:
    started = Judge(problems=[PROBLEM])
    started.start()
    try:
        assert started.wait_until_ready(PROBLEM, 120), "no worker became ready"
        yield started
    finally:
        started.close()


def judged(judge: Judge, source: str = SOLUTION) -> Verdict:
    """A verdict, failing the test if the judge takes longer than its bound (wall limit plus 30 s)."""
    box: dict[str, Verdict] = {}
    thread = threading.Thread(target=lambda: box.setdefault("v", judge.submit(PROBLEM, source)), daemon=True)
    thread.start()
    thread.join(judge.verdict_bound_s + 10)
    assert "v" in box, f"the judge gave no verdict within {judge.verdict_bound_s + 10:g} s"
    verdict = box["v"]
    assert verdict.elapsed_ms / 1000 <= judge.verdict_bound_s, f"waited {verdict.elapsed_ms:.0f} ms, past the bound"
    assert verdict.status in OURS_OR_ACCEPTED, f"correct code judged {verdict.status}: {verdict.message}"
    return verdict


def healed(judge: Judge, since: float, name: str) -> float:
    """Submit correct code until it is accepted; the seconds from the fault to that verdict."""
    while True:
        verdict = judged(judge)
        took = time.monotonic() - since
        if verdict.status is Status.ACCEPTED:
            print(f"\nheal {name}: {took:.2f} s")
            assert took <= HEAL_S, f"correct code was accepted again only {took:.1f} s after the fault"
            return took
        assert took <= HEAL_S, f"still {verdict.status} {took:.1f} s after the fault: {verdict.message}"


def serving_zygote(judge: Judge) -> int:
    """The pid of the zygote serving the judge now (after a fault, its standby copy, no child of ours)."""
    return wait_for(lambda: judge._sandbox.zygote_pid, 60, "a serving zygote")


def warm_pool(judge: Judge) -> tuple[int, list[int]]:
    """The zygote and its workers once the pool is full, every worker waits for a job, and a standby is up."""
    zygote = serving_zygote(judge)
    workers = wait_for(
        lambda: (w := workers_of(zygote)) and len(w) >= 2 and all(map(idle, w)) and w, 60, "two idle workers"
    )
    standby = wait_for(lambda: judge._sandbox.standby_pid, 60, "a standby zygote")
    remember([zygote, standby, *descendants(zygote)])
    return zygote, workers


# ----- the faults ------------------------------------------------------------------------------


def test_zygote_killed_while_idle(judge):
    zygote, _ = warm_pool(judge)
    restarts = judge.health.restarts
    moment = kill([zygote])
    healed(judge, moment, "zygote killed while idle")
    assert judge.health.restarts == restarts + 1
    assert not judge.health.restarting
    assert serving_zygote(judge) != zygote


def test_zygote_killed_while_four_threads_submit(judge):
    zygote, _ = warm_pool(judge)
    killed_at: list[float] = []
    verdicts: list[tuple[int, float, float, Verdict]] = []
    errors: list[BaseException] = []

    def submit_until_healed(number: int) -> None:
        try:
            while True:
                began = time.monotonic()
                verdict = judged(judge)
                verdicts.append((number, began, time.monotonic(), verdict))
                if killed_at and began > killed_at[0] and verdict.status is Status.ACCEPTED:
                    return
                if killed_at and time.monotonic() - killed_at[0] > HEAL_S + judge.verdict_bound_s:
                    return
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=submit_until_healed, args=(n,), daemon=True) for n in range(4)]
    for thread in threads:
        thread.start()
    wait_for(lambda: len(verdicts) >= 4 or errors, 60, "the first verdicts")
    remember(descendants(zygote))
    killed_at.append(kill([zygote]))
    for thread in threads:
        thread.join(HEAL_S + judge.verdict_bound_s + 15)
    assert not errors, errors[0]
    assert not any(thread.is_alive() for thread in threads), "a submitting thread never finished"
    statuses = [v.status for _, _, _, v in verdicts]
    assert set(statuses) <= OURS_OR_ACCEPTED, [v.message for *_, v in verdicts if not v.accepted]
    served_at = []
    for number in range(4):
        after = [end for n, began, end, v in verdicts if n == number and began > killed_at[0] and v.accepted]
        assert after, f"thread {number} never had correct code accepted after the kill"
        served_at.append(after[0] - killed_at[0])
    # Healed at the first accepted verdict after the kill (the runs it cut short are run again); every
    # thread then has code it sent after the kill accepted too, queueing behind the others.
    healed_s = min(end for _, _, end, v in verdicts if end > killed_at[0] and v.accepted) - killed_at[0]
    print(f"\nheal zygote killed under four submitting threads: {healed_s:.2f} s (code sent after the kill "
          f"accepted {min(served_at):.2f} s, all four threads {max(served_at):.2f} s; "
          f"{statuses.count(Status.INTERNAL_ERROR)} internal errors of {len(statuses)})")
    assert healed_s <= HEAL_S


def test_every_idle_worker_killed(judge):
    zygote, workers = warm_pool(judge)
    moment = kill(workers)
    wait_for(lambda: not any(map(alive, workers)), 10, "the killed workers' exit")
    healed(judge, moment, "every idle worker killed")
    assert judge._sandbox.zygote_pid == zygote, "killing workers must not replace the zygote"


def test_worker_running_a_submission_killed(judge):
    zygote, _ = warm_pool(judge)
    marker = f"fv{uuid.uuid4().hex[:10]}"
    box: dict[str, Verdict] = {}
    thread = threading.Thread(target=lambda: box.setdefault("v", judged(judge, slow_source(marker, 1.0))), daemon=True)
    thread.start()
    victim = wait_for(lambda: next((p for p in descendants(zygote) if comm(p) == marker), None), 30, "the run")
    moment = kill([victim])
    thread.join(judge.verdict_bound_s + 15)
    assert "v" in box, "no verdict for the submission whose worker was killed"
    verdict = box["v"]
    assert verdict.status is Status.ACCEPTED, f"{verdict.status}: {verdict.message}"
    print(f"\nheal worker killed mid-run: {time.monotonic() - moment:.2f} s (the same submission, run again)")
    healed(judge, moment, "worker killed mid-run, next submission")


def test_warm_template_killed(judge):
    warm_pool(judge)
    template_pid = wait_for(lambda: judge._sandbox.template_pid(PROBLEM), 120, "a warm template")
    remember([template_pid, *descendants(template_pid)])
    moment = kill([template_pid])
    # Its keepers end with it and take its idle workers along; the pool refills without it.
    healed(judge, moment, "warm template killed")
    # A new template is started and serves again.
    wait_for(lambda: (judged(judge).cost or {}).get("template"), 90, "a worker from a new warm template")


def test_nothing_is_left_once_the_judge_closes(judge):
    zygote, _ = warm_pool(judge)
    judged(judge)
    remember([zygote, *descendants(zygote)])
    # This judge's own folders only: other judges of this test process (the page's) may still be open.
    groups, root = judge._sandbox.owned_paths
    assert groups and root.is_dir()
    judge.close()
    survivors = wait_for_gone(SEEN, 10)
    assert survivors == [], f"processes outlived the judge: {survivors}"
    left = [str(p) for p in groups if p.exists()]
    assert left == [], f"cgroups outlived the judge: {left}"
    assert not root.exists(), f"the mount folder outlived the judge: {root}"


def wait_for_gone(processes: set[tuple[int, int]], timeout: float) -> list[int]:
    """The processes still alive once they all ended or the timeout passed."""
    deadline = time.monotonic() + timeout
    while True:
        left = [pid for pid, started in processes if alive(pid, started)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.02)


# ----- the page's server ------------------------------------------------------------------------


def start_page(data: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """The page served with its store in data; its process and URL once it answers."""
    process, url = start_streamlit({**os.environ, "PLAYGROUND_DATA_DIR": str(data)}, log)
    wait_until_healthy(url, process, log, PAGE_TIMEOUT_S)
    return process, url


def open_plain_editor(tab, url: str):
    tab.goto(url)
    tab.get_by_role("button", name="Submit").wait_for()
    tab.get_by_text("Plain text editor").click()
    box = tab.get_by_role("textbox", name="Your code")
    box.wait_for()
    return box


@pytest.mark.browser
def test_page_server_killed_mid_submission_keeps_the_draft_and_records_nothing(tmp_path):
    chromium = require_chromium()
    from playwright import sync_api
    log = tmp_path / "streamlit.log"
    marker = f"fp{uuid.uuid4().hex[:10]}"
    source = f"# draft {marker}\n" + slow_source(marker, 5.0)
    server, url = start_page(tmp_path, log)
    later = None
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
            try:
                tab = browser.new_page(viewport={"width": 1440, "height": 1000})
                tab.set_default_timeout(PAGE_TIMEOUT_S * 1000)
                # An id the page issued to this browser (its cookie proves it), as a learner's would be.
                learner = open_new_learner(tab, url)
                box = open_plain_editor(tab, f"{url}/?u={learner}")
                box.fill(source)
                # The click commits the box's text: the page saves it as the draft, then judges it.
                tab.get_by_role("button", name="Submit").click()
                # The run is in flight (its worker sleeps at load) when the server dies.
                wait_for(lambda: any(comm(p) == marker for p in descendants(server.pid)), 60,
                         "the submission's run in the sandbox")
                remember(descendants(server.pid))
                before = {(pid, _stat(pid)[2]) for pid in descendants(server.pid) if _stat(pid)}
                server.send_signal(signal.SIGKILL)
                moment = time.monotonic()
                server.wait(timeout=10)
                later, url = start_page(tmp_path, log)
                box = open_plain_editor(tab, f"{url}/?u={learner}")
                assert marker in box.input_value(), "the draft typed before the crash is gone"
                tab.get_by_text("Your submissions (", exact=False).first.wait_for()
                assert tab.get_by_text("Your submissions (0)").count() == 1, "a half-done submission was recorded"
                print(f"\nheal page server killed mid-submission: {time.monotonic() - moment:.2f} s to the draft, restarted")
                left = wait_for_gone(before, 15)
                assert left == [], f"the killed server's sandbox processes outlived it: {left}"
            finally:
                browser.close()
    finally:
        stop_server(server)
        if later is not None:
            stop_server(later)
