"""The run of one submission on one warm worker: send the job, collect what comes back, stop the worker.

A small state machine. In the visible phase the worker runs the visible cases and what it prints
is the learner's output. Once their results are in, the hidden cases are sent and the run is in
the hidden phase: anything the worker says then may carry hidden inputs, so only hidden tests'
results are kept and nothing printed is. The run is done at the last results frame, a load error,
a hand-back, a broken frame, the output limit, the wall limit, or a stall the judge sees.
"""

from __future__ import annotations

import enum
import os
import select
import signal
import time
from typing import Any

from playground.sandbox.cgroups import CgroupManager
from playground.sandbox.fd_io import drain, read_one_frame, read_some, write_all
from playground.sandbox.frame_checks import checked_frame, handed_back_reason
from playground.sandbox.progress_watch import CHECK_SECONDS, ProgressWatch
from playground.sandbox.protocol import Frame, HandBack, ProtocolError, encode_frame
from playground.sandbox.records import Limits, RunOutcome, WorkerHandle

STOP_WAIT_S = 5.0  # how long a killed worker's keeper may take to report its exit


class Phase(enum.Enum):
    """Where a submission's run is."""

    VISIBLE = "visible"
    HIDDEN = "hidden"
    DONE = "done"


class SubmissionRun:
    """Drives one job (and its hidden follow-up) through one worker; `run()` gives the outcome."""

    def __init__(
        self, worker: WorkerHandle, job: dict[str, Any], follow_up: list[dict[str, Any]] | None, limits: Limits
    ) -> None:
        self.worker = worker
        self.job = dict(job, type=Frame.JOB, more=follow_up is not None)
        self.follow_up = follow_up
        self.hidden_names = {case["name"] for case in follow_up or []}
        self.limit = limits.output_bytes
        self.wall_seconds = limits.wall_seconds
        self.outcome = RunOutcome()
        self.phase = Phase.VISIBLE
        self.sent_hidden = False
        self.output = bytearray()
        self.hidden_output_bytes = 0
        self.open_fds = {worker.out_r, worker.result_r, worker.status_r}
        self.poller = select.poll()
        self.deadline = 0.0
        # Only a template's worker can wait for ever on threads it lacks: the judge watches its CPU.
        self.progress = ProgressWatch(worker.worker_pid) if worker.template and worker.worker_pid else None

    def run(self) -> RunOutcome:
        """Run the job to its end and stop the worker."""
        drain(self.worker.out_r)  # anything printed while warming is not the learner's
        started = time.monotonic()
        self.deadline = started + self.wall_seconds
        self._send(self.job)
        for fd in self.open_fds:
            self.poller.register(fd, select.POLLIN)
        if self.progress is not None:
            self.progress.restart()
        while self.phase is not Phase.DONE and not self._should_stop():
            for fd, _event in self.poller.poll(self._wait_ms()):
                self._on_readable(fd)
                if self.phase is Phase.DONE:
                    break
        self.outcome.run_seconds = time.monotonic() - started
        return self._finish()

    def _should_stop(self) -> bool:
        if time.monotonic() >= self.deadline:
            self.outcome.timed_out = True
            return True
        if self.worker.result_r not in self.open_fds and self.worker.status_r not in self.open_fds:
            return True  # the worker and its keeper are gone
        if self.progress is not None and self.progress.stalled():
            # Waiting on a thread it did not inherit from the template, maybe holding the GIL, where
            # the worker's own watch cannot say so. Its frames and output are dropped.
            self.outcome.needs_fresh_worker = HandBack.STALLED
            return True
        return False

    def _wait_ms(self) -> float:
        remaining = max(0.0, self.deadline - time.monotonic())
        return 1000 * (min(remaining, CHECK_SECONDS) if self.progress is not None else remaining)

    def _send(self, message: dict[str, Any]) -> None:
        try:
            write_all(self.worker.job_w, encode_frame(message), self.deadline)
        except (OSError, TimeoutError):
            pass  # the worker died or stopped reading; how it ended is reported all the same

    def _on_readable(self, fd: int) -> None:
        data = read_some(fd)
        if not data:
            self.poller.unregister(fd)
            self.open_fds.discard(fd)
        elif fd == self.worker.out_r:
            self._on_output(data)
        elif fd == self.worker.status_r:
            for frame in self.worker.status.feed_after_backlog(data):
                if frame.get("type") == Frame.EXITED:
                    self.worker.exit_code = int(frame.get("code", 0))
        else:
            self._on_results(data)

    def _on_output(self, data: bytes) -> None:
        if self.phase is Phase.HIDDEN:
            self.hidden_output_bytes += len(data)
        else:
            self.output += data
        if len(self.output) > self.limit or self.hidden_output_bytes > self.limit:
            self.outcome.output_exceeded = True
            self.phase = Phase.DONE

    def _on_results(self, data: bytes) -> None:
        try:
            frames = self.worker.results.feed(data)
        except ProtocolError as exc:
            self.outcome.protocol_error = str(exc)
            self.phase = Phase.DONE
            return
        for frame in frames:
            self._on_frame(frame)
            if self.phase is Phase.DONE:
                return

    def _on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == Frame.NEEDS_FRESH_WORKER and self.worker.template:
            # Its frames and output are dropped: the sandbox judges the job again elsewhere.
            self.outcome.needs_fresh_worker = handed_back_reason(frame)
            self.phase = Phase.DONE
        elif self.phase is Phase.HIDDEN:
            # Hidden inputs have been sent, so anything the worker says may carry them: keep only
            # results of hidden tests, which are never shown in detail.
            if kind == Frame.RESULTS:
                self._keep(checked_frame(frame, self.hidden_names))
            else:
                self._unexpected(kind)
        elif kind == Frame.RESULTS and frame.get("more") and self.follow_up is not None:
            self.outcome.frames.append(checked_frame(frame))
            self.output += drain(self.worker.out_r)
            self.phase = Phase.HIDDEN
            self.sent_hidden = True
            if self.progress is not None:
                self.progress.restart()
            self._send({"type": Frame.CASES, "cases": self.follow_up})
        elif kind in (Frame.LOAD_ERROR, Frame.RESULTS):
            self._keep(checked_frame(frame))
        else:
            self._unexpected(kind)

    def _keep(self, frame: dict[str, Any]) -> None:
        self.outcome.frames.append(frame)
        self.outcome.finished = True
        self.phase = Phase.DONE

    def _unexpected(self, kind: Any) -> None:
        self.outcome.protocol_error = f"unexpected frame {str(kind)[:40]!r} from the worker"
        self.phase = Phase.DONE

    def _finish(self) -> RunOutcome:
        outcome = self.outcome
        if not self.sent_hidden:
            self.output += drain(self.worker.out_r)
        outcome.busy_share = self.progress.busy_share() if self.progress is not None else None
        outcome.output_cut = len(self.output) > self.limit
        outcome.output = bytes(self.output[: self.limit]).decode("utf-8", errors="replace")
        stop_worker(self.worker)
        outcome.exit_code = self.worker.exit_code
        outcome.memory_exceeded = CgroupManager.hit_memory_limit(self.worker.cgroups)
        return outcome


def stop_worker(worker: WorkerHandle) -> None:
    """Kill the worker if it still runs, and wait (briefly) for its keeper to report its exit."""
    if worker.worker_pid is not None and worker.exit_code is None:
        try:
            os.kill(worker.worker_pid, signal.SIGKILL)
        except OSError:
            pass
    deadline = time.monotonic() + STOP_WAIT_S
    while worker.exit_code is None and time.monotonic() < deadline:
        frame = read_one_frame(worker.status_r, worker.status, deadline - time.monotonic())
        if frame is None:
            break
        if frame.get("type") == Frame.EXITED:
            worker.exit_code = int(frame.get("code", 0))
