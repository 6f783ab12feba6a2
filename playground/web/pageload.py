"""A load test of the page itself: K learners in Chromium against `streamlit run app.py`.

Each learner opens the page, and then, cycle after cycle, pastes an edit into the code editor, clicks
outside it (the editor sends its text), presses Submit and waits for the verdict. Reported: click ->
verdict p50/p95 over every measured cycle, and the page server process's own CPU per verdict (read
from /proc/<pid>/stat: its threads, the in-process judge included, its sandbox children not).
The browsers run on this machine too, so on a small machine they take CPU from the server: the
latencies are a floor for a class whose browsers are elsewhere; the server CPU per verdict is not.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EDITOR_FRAME = 'iframe[title="code_editor.code_editor"]'
PROBLEM = "module_basics_forward"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SERVER_START_S = 180.0
STEP_TIMEOUT_S = 120.0
EDITOR_DEBOUNCE_S = 1.3  # the editor's debounceChangePeriod (playground/web/editor_panel.py) and a margin
QUIET_S = 0.4  # a server that used no CPU tick for this long has finished drawing


@dataclass(frozen=True)
class PageLoadSettings:
    """What to run: how many learners, how many cycles each, and which server."""

    learners: int = 1
    cycles: int = 4
    warmup: int = 1
    url: str | None = None  # an already running server; None starts one
    pid: int | None = None  # that server's process id (required with url)


@dataclass
class PageLoadReport:
    """The numbers one run measured (seconds)."""

    learners: int
    cycles: int
    verdicts: int
    click_to_verdict_p50_s: float
    click_to_verdict_p95_s: float
    click_to_verdict_max_s: float
    server_cpu_per_cycle_s: float  # total server CPU over the measured cycles / verdicts
    server_cpu_per_cycle_median_s: float | None  # per cycle, one learner only (cycles do not overlap)
    server_cpu_cycles_s: list[float] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Rounded numbers, for printing as JSON."""
        data = asdict(self)
        for name, value in data.items():
            if isinstance(value, float):
                data[name] = round(value, 3)
            elif isinstance(value, list):
                data[name] = [round(v, 3) for v in value]
        return data


def server_cpu_s(pid: int) -> float:
    """User plus system CPU of the process's own threads, in seconds (children not counted)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime: fields 14 and 15 of the file


async def wait_until_quiet(pid: int, timeout_s: float = 30.0) -> None:
    """Wait until the server used no CPU for QUIET_S (it has finished the reruns it was asked for)."""
    deadline = time.monotonic() + timeout_s
    last = server_cpu_s(pid)
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        now = server_cpu_s(pid)
        if now != last:
            last, quiet_since = now, time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_S:
            return


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values fall (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


class Learner:
    """One simulated learner in a browser context of their own."""

    def __init__(self, context: object, url: str, source: str, number: int) -> None:
        self.context, self.url, self.source, self.number = context, url, source, number
        self.submitted = 0
        self.page = None

    async def open(self) -> None:
        self.page = await self.context.new_page()
        self.page.set_default_timeout(STEP_TIMEOUT_S * 1000)
        await self.page.goto(f"{self.url}/?problem={PROBLEM}")
        await self.page.get_by_role("button", name="Submit").wait_for()
        await self.page.frame_locator(EDITOR_FRAME).locator(".ace_content").wait_for()

    async def edit(self) -> None:
        """Paste a fresh edit into the editor, then click outside it so the editor sends its text."""
        page = self.page
        await page.frame_locator(EDITOR_FRAME).locator(".ace_content").click()
        await page.keyboard.press("Control+a")
        await page.keyboard.press("Delete")
        await page.keyboard.insert_text(f"{self.source}\n# learner {self.number}, edit {self.submitted + 1}\n")
        # The editor sends its text once typing has paused for its debounce period, whatever else happens: a
        # Submit pressed before then is overtaken by that rerun, as a person pressing it that fast would be.
        await asyncio.sleep(EDITOR_DEBOUNCE_S)
        await page.locator("h1").first.click()
        await self.rerun_done()
        if self.submitted:
            # The page says the code changed since the last verdict once it has taken the edit.
            await page.get_by_text("You have changed your code since this result").wait_for()

    async def rerun_done(self) -> None:
        """Wait for the rerun just asked for to start (if it has not yet) and to end."""
        app = self.page.locator('[data-testid="stApp"]')
        try:
            await app.and_(self.page.locator('[data-test-script-state="running"]')).wait_for(timeout=3000)
        except Exception:  # noqa: BLE001 - a short rerun may be over before it is seen running
            pass
        await app.and_(self.page.locator('[data-test-script-state="notRunning"]')).wait_for()

    async def submit(self) -> float:
        """Press Submit; seconds until this submission's verdict and history row are on the page."""
        page = self.page
        started = time.perf_counter()
        await page.get_by_role("button", name="Submit").click()
        await page.get_by_text(f"Your submissions ({self.submitted + 1})", exact=True).wait_for()
        await page.get_by_text("Accepted", exact=False).first.wait_for()
        elapsed = time.perf_counter() - started
        self.submitted += 1
        await self.rerun_done()
        return elapsed


async def _run(settings: PageLoadSettings, url: str, pid: int) -> PageLoadReport:
    from playwright.async_api import async_playwright

    source = (ROOT / "solutions" / f"{PROBLEM}.py").read_text(encoding="utf-8")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            learners = [Learner(await browser.new_context(viewport={"width": 1440, "height": 1000}), url, source, n)
                        for n in range(settings.learners)]
            await asyncio.gather(*(learner.open() for learner in learners))
            for _ in range(settings.warmup):
                await asyncio.gather(*(_cycle(learner) for learner in learners))
            await wait_until_quiet(pid)
            if settings.learners == 1:
                return await _one_learner(settings, learners[0], pid)
            return await _many_learners(settings, learners, pid)
        finally:
            await browser.close()


async def _cycle(learner: Learner) -> float:
    await learner.edit()
    return await learner.submit()


async def _one_learner(settings: PageLoadSettings, learner: Learner, pid: int) -> PageLoadReport:
    # Cycles one after another, each measured from its first keystroke until the server is quiet again.
    latencies, costs = [], []
    for _ in range(settings.cycles):
        before = server_cpu_s(pid)
        latencies.append(await _cycle(learner))
        await wait_until_quiet(pid)
        costs.append(server_cpu_s(pid) - before)
    return _report(settings, latencies, sum(costs), costs)


async def _many_learners(settings: PageLoadSettings, learners: list[Learner], pid: int) -> PageLoadReport:
    async def cycles(learner: Learner) -> list[float]:
        return [await _cycle(learner) for _ in range(settings.cycles)]

    before = server_cpu_s(pid)
    results = await asyncio.gather(*(cycles(learner) for learner in learners))
    await wait_until_quiet(pid)
    return _report(settings, [s for each in results for s in each], server_cpu_s(pid) - before, [])


def _report(settings: PageLoadSettings, latencies: list[float], cpu: float, costs: list[float]) -> PageLoadReport:
    return PageLoadReport(
        learners=settings.learners,
        cycles=settings.cycles,
        verdicts=len(latencies),
        click_to_verdict_p50_s=percentile(latencies, 0.5),
        click_to_verdict_p95_s=percentile(latencies, 0.95),
        click_to_verdict_max_s=max(latencies),
        server_cpu_per_cycle_s=cpu / len(latencies),
        server_cpu_per_cycle_median_s=statistics.median(costs) if costs else None,
        server_cpu_cycles_s=costs,
        latencies_s=latencies,
    )


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class PageServer:
    """`streamlit run app.py` on a free local port with a throw-away data folder, in a session of its own."""

    def __init__(self) -> None:
        self.data = tempfile.TemporaryDirectory(prefix="pageload-")
        self.log = Path(self.data.name) / "streamlit.log"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
                   "--server.address", "127.0.0.1"]
        env = {**os.environ, "PLAYGROUND_DATA_DIR": self.data.name}
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the page server exited with {self.process.returncode}:\n{self._log_tail()}")
            if _healthy(self.url):
                return
            time.sleep(0.3)
        raise RuntimeError(f"the page server did not answer within {SERVER_START_S:.0f} s:\n{self._log_tail()}")

    def stop(self) -> None:
        # The whole session: the server and its sandbox workers.
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
            if self.process.poll() is not None:
                break
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(timeout=wait)
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
        self.data.cleanup()

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing_requirement() -> str | None:
    """What this machine lacks for the load test, in a sentence, or None."""
    if not Path(CHROMIUM).exists():
        return f"Chromium is not at {CHROMIUM} (Debian: apt-get install -y chromium)."
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -r requirements-test.txt)."
    return None


def run_page_load(settings: PageLoadSettings) -> PageLoadReport:
    """Run the load test against the given server, or against one started (and stopped) for it."""
    if settings.url:
        return asyncio.run(_run(settings, settings.url.rstrip("/"), settings.pid))
    server = PageServer()
    try:
        server.wait_until_ready()
        return asyncio.run(_run(settings, server.url, server.process.pid))
    finally:
        server.stop()
