"""What every judge offers (the local one and the queued one) and the options both are built from."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from playground.judge.source_checks import file_refusal
from playground.judge.sources import SourceFile
from playground.judge.verdict import Mode, Verdict
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


@dataclass(frozen=True)
class Submission:
    """One source to judge, as a judge's submit() received it."""

    problem_id: str
    source: str
    mode: str = "submit"
    custom_input: dict[str, Any] | None = None
    file: str = "<editor>"
    learner: str | None = None  # any stable name: the local judge orders learners fairly by it


@runtime_checkable
class JudgeService(Protocol):
    """A judge as the page, the CLI and the benchmarks use it, wherever its sandboxes run.

    Both judges subclass it: they write `judge()` and the life cycle; `submit`, `submit_source` and the
    context manager, the contract's calls, are written once here.
    """

    limits: Limits
    require_isolation: bool

    @abstractmethod
    def start(self) -> None:
        """Get ready to judge; IsolationError when isolation is required and incomplete."""

    @abstractmethod
    def close(self) -> None:
        """Stop judging; a submission after this gets internal_error."""

    @property
    @abstractmethod
    def health(self) -> SandboxHealth:
        """Ok, or restarting (with a message for the page)."""

    @property
    @abstractmethod
    def verdict_bound_s(self) -> float:
        """The longest a submission waits for its verdict."""

    @property
    @abstractmethod
    def protections(self) -> tuple[str, ...]:
        """The protections the sandbox's workers have."""

    @abstractmethod
    def missing_protections(self) -> list[str]:
        """Protections the sandbox's workers lack."""

    @abstractmethod
    def wait_until_ready(self, problem_id: str, timeout: float = ...) -> bool:
        """Block until a warm worker can judge the problem, or the timeout passes."""

    @abstractmethod
    def judge(self, submission: Submission) -> Verdict:
        """Judge one submission; never raises for anything the source does."""

    def __enter__(self) -> JudgeService:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

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
        """Judge one source; never raises for anything the source does.

        `learner` (any stable name) puts the submission in fair order: a free sandbox goes to the waiting
        learner with the fewest submissions running, so one learner's burst waits behind the others.
        """
        return self.judge(Submission(problem_id, source, mode, custom_input, file, learner))

    def submit_source(self, problem_id: str, source: SourceFile, mode: str = "submit") -> Verdict:
        """Judge a file as the CLI read it: undecodable or oversized files get a clear verdict."""
        refused = file_refusal(get_problem(problem_id), source, Mode(mode))
        return refused or self.submit(problem_id, source.text or "", mode, file=source.name)
