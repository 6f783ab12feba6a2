"""What every judge offers (the local one and the queued one) and the options both are built from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from playground.judge.sources import SourceFile
from playground.judge.verdict import Verdict
from playground.problems import get_problem
from playground.sandbox.records import Limits, SandboxHealth
from playground.settings import Settings


@dataclass(frozen=True)
class JudgeOptions:
    """A judge's constructor arguments with every default filled in from the settings."""

    limits: Limits
    require_isolation: bool
    problems: tuple[str, ...] | None  # None: every problem of the track
    pool_size: int
    settings: Settings

    @classmethod
    def resolve(
        cls,
        pool_size: int | None = None,
        limits: Limits | None = None,
        require_isolation: bool | None = None,
        problems: Sequence[str] | None = None,
        settings: Settings | None = None,
    ) -> JudgeOptions:
        """Explicit arguments win; what is left out comes from `settings` (read from the environment if None)."""
        chosen = settings if settings is not None else Settings.from_environment()
        return cls(
            limits=limits or Limits(),
            require_isolation=chosen.require_isolation if require_isolation is None else require_isolation,
            problems=tuple(get_problem(p).id for p in problems) if problems else None,
            pool_size=chosen.pool_size if pool_size is None else pool_size,
            settings=chosen,
        )


@runtime_checkable
class JudgeService(Protocol):
    """A judge as the page, the CLI and the benchmarks use it, wherever its sandboxes run."""

    limits: Limits
    require_isolation: bool

    def __enter__(self) -> JudgeService: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def start(self) -> None:
        """Get ready to judge; IsolationError when isolation is required and incomplete."""

    def close(self) -> None:
        """Stop judging; a submission after this gets internal_error."""

    @property
    def health(self) -> SandboxHealth:
        """Ok, or restarting (with a message for the page)."""

    @property
    def verdict_bound_s(self) -> float:
        """The longest a submission waits for its verdict."""

    @property
    def protections(self) -> tuple[str, ...]:
        """The protections the sandbox's workers have."""

    def missing_protections(self) -> list[str]:
        """Protections the sandbox's workers lack."""

    def wait_until_ready(self, problem_id: str, timeout: float = ...) -> bool:
        """Block until a warm worker can judge the problem, or the timeout passes."""

    def submit(
        self,
        problem_id: str,
        source: str,
        mode: str = "submit",
        *,
        custom_input: dict[str, Any] | None = None,
        file: str = "<editor>",
        learner: str | None = None,
    ) -> Verdict:
        """Judge one source; never raises for anything the source does."""

    def submit_source(self, problem_id: str, source: SourceFile, mode: str = "submit") -> Verdict:
        """Judge a file as the CLI read it."""
