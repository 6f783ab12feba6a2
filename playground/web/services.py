"""The server process's own services: one judge, one store and the public limits' gates.

They start when the page server starts (app.py's lifespan calls start_services) and stop when it stops.
Nothing a visitor sends reaches them: they are not Streamlit cache values, so a client's `clear_cache`
message (which Streamlit accepts from any session) clears nothing here.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from playground.judge import IsolationError, Judge
from playground.judge.interface import JudgeService
from playground.problems import all_problems
from playground.settings import PublicLimits, Settings
from playground.store import Store
from playground.web.limits import SlidingWindow, SubmissionGate

log = logging.getLogger("playground.page")

JUDGE_READY_TIMEOUT_S = 15.0
SANDBOX_UNAVAILABLE = "the sandbox could not start on this server (the operator will find why in the server log)"


@dataclass
class Services:
    """What every page of this server process shares."""

    settings: Settings
    gate: SubmissionGate
    imports: SlidingWindow
    judge: JudgeService | None = None
    judge_error: str | None = None
    stores: dict[tuple[str, str], Store] = field(default_factory=dict)
    judge_started: threading.Event = field(default_factory=threading.Event)
    stopped: bool = False

    @property
    def limits(self) -> PublicLimits:
        """What one visitor may send and start on this server."""
        return self.settings.public


_services: Services | None = None
_lock = threading.Lock()
_store_lock = threading.Lock()


def start_services() -> Services:
    """Start the store at once and the judge in the background (the server answers meanwhile); idempotent."""
    global _services  # noqa: PLW0603 - the one set of services of this process
    with _lock:
        if _services is not None:
            return _services
        settings = Settings.from_environment()
        limits = settings.public
        services = Services(settings, SubmissionGate(limits.submits_per_minute), SlidingWindow(limits.imports_per_hour, 3600.0))
        server_store(services)
        _services = services
    threading.Thread(target=_start_judge, args=(services,), name="judge-start", daemon=True).start()
    return services


def services() -> Services:
    """This process's services, started here when the server did not (an in-process run such as AppTest)."""
    return _services if _services is not None else start_services()


def stop_services() -> None:
    """Close the judge (every sandbox process) and the store: only when the server itself stops."""
    with _lock:
        current = _services
    if current is None:
        return
    current.stopped = True
    current.judge_started.wait(JUDGE_READY_TIMEOUT_S + 5)
    if current.judge is not None:
        current.judge.close()
    for store in current.stores.values():
        store.close()


def wait_for_judge(current: Services, timeout_s: float) -> JudgeService | None:
    """The started judge, waiting up to timeout_s for it; None when it failed or is still starting."""
    current.judge_started.wait(timeout_s)
    return current.judge if current.judge_started.is_set() else None


def server_store(current: Services) -> tuple[Store | None, str | None]:
    """The store the settings name (PLAYGROUND_DATABASE_URL, else the data folder), opened once and kept
    open for the server's life; a failed open is logged and tried again on the next call."""
    url = current.settings.database_url or ""
    data_dir = "" if url else str(current.settings.data_dir)
    key = (url, data_dir)
    with _store_lock:
        if key in current.stores:
            return current.stores[key], None
        if current.stopped:
            return None, "the server is stopping"
        store, error = Store.open_or_error(data_dir or None, url=url or None)
        if store is None:
            log.error("The progress store could not be opened: %s", error)
            return None, error
        store.max_rows_per_learner = current.limits.rows_per_learner
        store.max_bytes_per_learner = current.limits.bytes_per_learner
        current.stores[key] = store
        return store, None


def _start_judge(current: Services) -> None:
    # Pages are served while the sandbox warms: the judge is theirs at once, and a submission made
    # meanwhile waits inside submit() for the first warm worker, as any submission waits for a worker.
    judge = Judge(settings=current.settings)
    current.judge = judge
    current.judge_started.set()
    try:
        judge.start()
        judge.wait_until_ready(next(iter(all_problems())), timeout=JUDGE_READY_TIMEOUT_S)
    except IsolationError as exc:
        log.error("The sandbox refused to start: %s", exc)
        current.judge, current.judge_error = None, SANDBOX_UNAVAILABLE
        judge.close()
    except Exception:  # noqa: BLE001 - logged in full; visitors get a generic sentence
        log.exception("The sandbox could not start")
        current.judge, current.judge_error = None, SANDBOX_UNAVAILABLE
        judge.close()
