"""The records that cross between the sandbox's parts and its callers: limits, health, outcomes, workers."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from playground.sandbox.protocol import FrameReader


@dataclass(frozen=True)
class Limits:
    """What one submission may use."""

    wall_seconds: float = 10.0
    memory_bytes: int = 1 << 30
    max_tasks: int = 64
    output_bytes: int = 64 * 1024
    disk_bytes: int = 16 << 20
    cpu_cores: float = 1.0


@dataclass(frozen=True)
class WarmProfile:
    """How to warm workers for one problem: the warm-up file and shape-only inputs."""

    key: str
    warmup_file: str
    warm_inputs: tuple[str, ...]  # JSON texts, so the profile stays hashable


class HealthState(enum.StrEnum):
    """Whether the sandbox can take submissions now."""

    OK = "ok"
    RESTARTING = "restarting"


@dataclass(frozen=True)
class SandboxHealth:
    """The sandbox's state for the page: ok, or restarting after a failure of ours (with a sentence)."""

    state: HealthState
    message: str
    restarts: int = 0  # how many times the zygote has been restarted since the judge started

    @property
    def restarting(self) -> bool:
        """True while the sandbox is recovering; submissions wait for it, up to their bound."""
        return self.state is HealthState.RESTARTING


@dataclass
class RunOutcome:
    """What came back from one worker: frames, the visible output, and how it ended."""

    frames: list[dict[str, Any]] = field(default_factory=list)
    output: str = ""
    output_cut: bool = False
    timed_out: bool = False
    output_exceeded: bool = False
    memory_exceeded: bool = False
    exit_code: int | None = None
    protocol_error: str | None = None
    setup_error: str | None = None
    run_seconds: float = 0.0
    finished: bool = False  # the worker's last frame arrived
    internal_error: str | None = None  # the sandbox failed, not the code: why, in one sentence
    retried: bool = False  # the first worker died for no reason of the code's; this is the second run
    # Why a template's worker's job was run again on a fresh worker: "compile" or "stall" (it said so),
    # "claimed" (it said something else), "stalled" (the judge saw its main thread get no CPU), or
    # "time_limit" (it ran out of time while mostly waiting). Empty when it was not.
    needs_fresh_worker: str = ""  # a HandBack
    busy_share: float | None = None  # how often the judge saw its main thread running or runnable
    from_template: bool = False  # judged by a worker forked from a warm template

    @property
    def died_unexplained(self) -> bool:
        """The worker vanished mid-run, killed by a signal or with its keeper, and none of our limits did it.

        A normal exit (a status code) is always the process ending itself, so only the code's doing.
        """
        return not (
            self.finished
            or self.timed_out
            or self.output_exceeded
            or self.memory_exceeded
            or self.protocol_error
            or self.setup_error
            or self.internal_error
            or (self.exit_code is not None and self.exit_code >= 0)
        )


class IsolationError(RuntimeError):
    """Full isolation was required and this machine cannot provide it."""


@dataclass
class WorkerHandle:
    keeper_pid: int
    job_w: int
    out_r: int
    result_r: int
    status_r: int
    uid: int
    cgroups: list[str]
    worker_pid: int | None = None
    protections: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    results: FrameReader = field(default_factory=FrameReader)
    status: FrameReader = field(default_factory=FrameReader)
    exit_code: int | None = None
    generation: int = 0  # which zygote forked it
    template: bool = False  # forked from a warm template, so it hands its job back at a compile or a stall

    def fds(self) -> tuple[int, ...]:
        return (self.job_w, self.out_r, self.result_r, self.status_r)
