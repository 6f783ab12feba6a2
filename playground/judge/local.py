"""The judge: cases -> sandbox -> comparison with the reference -> Verdict. Safe across threads."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

import numpy as np

from playground.judge.grading import grade
from playground.judge.interface import JudgeOptions, JudgeService, Submission
from playground.judge.reference import ReferenceCache
from playground.judge.reference import _key as reference_key
from playground.judge.source_checks import MAX_SOURCE_BYTES, source_refusal
from playground.judge.turns import LearnerTurns
from playground.judge.verdict import Mode, Status, Verdict, internal_error_message
from playground.problems import Case, Problem, all_problems, get_problem
from playground.problems.panels import problem_probes
from playground.sandbox.jax_cache import use_jax_cache
from playground.sandbox.pool import Sandbox
from playground.sandbox.records import HealthState, IsolationError, Limits, SandboxHealth, WarmProfile
from playground.settings import Settings

FIRST_WORKER_TIMEOUT_S = 120.0  # Judge.start() and wait_until_ready() by default; a submission waits less
GRADING_MARGIN_S = 2.0  # of a submission's bound, kept for comparing and grading after the sandbox
LOG = logging.getLogger(__name__)

__all__ = ["LocalJudge", "HealthState", "IsolationError", "MAX_SOURCE_BYTES", "SandboxHealth"]


def default_cache_dir(settings: Settings | None = None) -> str:
    """Where trusted code keeps XLA's compiled ops for workers to read (never write)."""
    import jax

    root = (settings if settings is not None else Settings.from_environment()).cache_root
    return str(root / f"xla-jax-{jax.__version__}")


class LocalJudge(JudgeService):
    """Judges sources for registered problems in a pool of sandboxed workers of this process."""

    def __init__(
        self,
        pool_size: int | None = None,
        limits: Limits | None = None,
        require_isolation: bool | None = None,
        problems: list[str] | None = None,
        *,
        settings: Settings | None = None,
    ) -> None:
        options = JudgeOptions.resolve(pool_size, limits, require_isolation, problems, settings)
        self.limits = options.limits
        self.require_isolation = options.require_isolation
        self.warm_templates = options.settings.warm_templates
        self._problems = [get_problem(p) for p in options.problems] if options.problems else list(all_problems().values())
        self._references = BoundedReferenceCache(self._problems)
        self._sandbox = Sandbox(
            self.limits, pool_size=options.pool_size, cache_dir=default_cache_dir(options.settings),
            warm_templates=options.settings.warm_templates,
        )
        self._started = False
        self._closed = False
        self._start_lock = threading.Lock()
        self._turns = LearnerTurns(options.pool_size)

    def start(self, first_worker_timeout: float = FIRST_WORKER_TIMEOUT_S) -> None:
        """Start the worker pool and wait (up to the timeout) for its first warm worker.

        With isolation required, refuse (IsolationError) if it is partial. Waiting here, once, keeps
        a cold start out of the first submission's bounded wait.
        """
        with self._start_lock:
            self._closed = False
            if not self._started:
                self._start(first_worker_timeout)

    def _start(self, first_worker_timeout: float) -> None:
        # Started only once isolation is checked: a submission arriving meanwhile waits on the start
        # lock, so none runs on a sandbox that is about to be refused.
        self._sandbox.start([_warm_profile(p) for p in self._problems])
        try:
            use_jax_cache(self._sandbox.cache_dir, writable=True)  # the references are trusted
            # Expected answers are computed ahead in the background; a submission computes any it lacks.
            threading.Thread(target=self._precompute_references, name="references", daemon=True).start()
            self._sandbox.wait_until_ready(self._problems[0].id, first_worker_timeout)
            missing = self._sandbox.missing_protections() if self.require_isolation else []
            if missing:
                raise IsolationError(
                    "PLAYGROUND_REQUIRE_ISOLATION is set, but these protections are not available "
                    f"here: {', '.join(missing)}. Run as root on Linux with namespaces and cgroups, "
                    "or unset the variable to run with partial isolation."
                )
        except BaseException:
            self._closed = True
            self._sandbox.close()
            raise
        self._started = True

    def _precompute_references(self) -> None:
        for problem in self._problems:
            for case in problem.cases:
                try:
                    self._references.expected_parts(problem, case.inputs)
                except Exception:  # noqa: BLE001 - the submission that needs it will report the failure
                    LOG.exception("judge: the reference's answer to %s could not be computed ahead", problem.id)

    def close(self) -> None:
        """Stop every worker and the zygote; a submission after this gets internal_error (nothing restarts)."""
        self._closed = True
        if self._started:
            self._sandbox.close()
            self._started = False

    @property
    def sandbox(self) -> Sandbox:
        """The sandbox this judge runs submissions in (its processes are for operators and the fault suite)."""
        return self._sandbox

    @property
    def health(self) -> SandboxHealth:
        """The sandbox's state: `.restarting` is True (with `.message`) while it heals after a failure of ours."""
        return self._sandbox.health

    @property
    def verdict_bound_s(self) -> float:
        """The longest a submission waits for its verdict: the wall limit plus 30 s."""
        return self._sandbox.verdict_bound_s

    @property
    def protections(self) -> tuple[str, ...]:
        """The protections the sandbox's workers have (empty until the first is ready)."""
        return self._sandbox.protections

    def missing_protections(self) -> list[str]:
        """Protections this machine could not give the workers."""
        return self._sandbox.missing_protections()

    def wait_until_ready(self, problem_id: str, timeout: float = FIRST_WORKER_TIMEOUT_S) -> bool:
        """Block until a warm worker for the problem is waiting."""
        return self._sandbox.wait_until_ready(problem_id, timeout)

    def judge(self, submission: Submission) -> Verdict:
        """Judge one source; never raises for anything the source does."""
        problem_id, source, mode, file = submission.problem_id, submission.source, submission.mode, submission.file
        started = time.perf_counter()
        deadline = time.monotonic() + self._sandbox.verdict_bound_s - GRADING_MARGIN_S
        problem = get_problem(problem_id)
        run_mode = Mode(mode)
        try:
            if self._closed:
                raise JudgeClosed
            if not self._started:
                self.start(first_worker_timeout=max(0.0, deadline - time.monotonic()))
            verdict = self._judge(problem, source, run_mode, submission.custom_input, file, deadline, submission.learner)
        except IsolationError:
            raise
        except (JudgeClosed, JudgeBusy) as exc:
            verdict = Verdict(problem=problem.id, file=file, mode=run_mode, status=Status.INTERNAL_ERROR,
                              message=internal_error_message(exc.reason))
        except Exception as exc:  # noqa: BLE001 - a failure of ours still yields a verdict
            LOG.exception("judge: judging a submission to %s failed", problem.id)
            verdict = Verdict(
                problem=problem.id,
                file=file,
                mode=run_mode,
                status=Status.INTERNAL_ERROR,
                message=internal_error_message(f"the judge raised {type(exc).__name__}"),
            )
        verdict.elapsed_ms = (time.perf_counter() - started) * 1000
        return verdict

    def _judge(
        self, problem: Problem, source: str, mode: Mode, custom: dict[str, Any] | None, file: str, deadline: float,
        learner: str | None = None,
    ) -> Verdict:
        early = source_refusal(problem, source, mode, file)
        if early is not None:
            return early
        cases = list(problem.cases_for(mode.value))
        if custom is not None:
            cases.append(Case(name="custom", inputs=dict(custom), hidden=False))
        visible = [c for c in cases if not c.hidden]
        hidden = [c for c in cases if c.hidden]
        for case in cases:
            self._references.expected(problem, case.inputs)
        job = {
            "type": "job",
            "source": source,
            "entry_point": problem.entry_point,
            "arguments": [[a.name, a.kind] for a in problem.arguments],
            "output_names": list(problem.output_names),
            "probes": problem_probes(problem.id),
            "cases": [_case_message(c) for c in visible],
        }
        follow_up = [_case_message(c) for c in hidden] if hidden else None
        latest_turn = deadline - self.limits.wall_seconds
        if not self._turns.enter(learner, latest_turn):
            raise JudgeBusy
        try:
            outcome = self._sandbox.run(problem.id, job, follow_up, deadline)
        finally:
            self._turns.leave(learner)
        verdict = grade(problem, mode, file, cases, outcome, self._references, self.limits, _is_starter(problem, source))
        verdict.cost = run_cost(outcome)  # for the benchmark; not part of the JSON contract
        return verdict


class BoundedReferenceCache(ReferenceCache):
    """The reference's answers, keeping every problem case's for good but only the latest `extra` answers for
    other inputs (learners' custom inputs), so a stream of custom Runs cannot grow the judge's memory."""

    def __init__(self, problems: list[Problem], extra: int = 256) -> None:
        super().__init__()
        self._permanent = {reference_key(p, c.inputs) for p in problems for c in p.cases}
        self._extra = extra
        self._recent: deque[str] = deque()

    def _compute(self, problem: Problem, inputs: dict[str, Any], key: str) -> None:
        super()._compute(problem, inputs, key)
        if key in self._permanent:
            return
        self._recent.append(key)
        while len(self._recent) > self._extra:
            old = self._recent.popleft()
            for answers in (self._outputs, self._params, self._states):
                answers.pop(old, None)
            for variant in [v for v in self._variants if v[1] == old]:
                self._variants.pop(variant, None)


class JudgeClosed(Exception):
    """A submission reached a judge that was closed: it is answered, never judged."""

    reason = "the judge is shutting down"


class JudgeBusy(Exception):
    """No sandbox became free for this submission in time."""

    reason = "every sandbox stayed busy with other submissions"


def _case_message(case: Case) -> dict[str, Any]:
    return {"name": case.name, "inputs": case.inputs, "capture": not case.hidden}


def _warm_profile(problem: Problem) -> WarmProfile:
    package = Path(__file__).resolve().parents[1] / "problems" / problem.id
    shapes = []
    for case in problem.cases:
        # Shapes only: a worker must never hold a hidden test's values before its code runs.
        inputs = {a.name: _shape_only(a, case.inputs[a.name], problem.shape_arguments) for a in problem.arguments}
        text = json.dumps(inputs, sort_keys=True)
        if text not in shapes:
            shapes.append(text)
    return WarmProfile(key=problem.id, warmup_file=str(package / problem.warmup), warm_inputs=tuple(shapes))


def _shape_only(argument: Any, value: Any, shape_arguments: tuple[str, ...]) -> Any:
    if argument.kind.startswith("f32_"):
        return np.zeros_like(np.asarray(value, dtype=np.float64)).tolist()
    return value if argument.name in shape_arguments else 0.0


def _normalise(source: str) -> str:
    # Comments and blank lines do not count as an attempt.
    lines = (line.rstrip() for line in source.splitlines())
    return "\n".join(line for line in lines if line.strip() and not line.lstrip().startswith("#"))


def _is_starter(problem: Problem, source: str) -> bool:
    return _normalise(source) == _normalise(problem.starter)


def run_cost(outcome: Any) -> dict[str, Any]:
    """What judging cost beside the verdict: the learner's XLA compiles and cache reads, and which worker ran it."""
    last = outcome.frames[-1] if outcome.frames else {}
    return {
        "compiles": last.get("compiles"),
        "cache_reads": last.get("cache_reads"),
        "template": getattr(outcome, "from_template", False),  # forked from a warm template
        "rerun_fresh": getattr(outcome, "needs_fresh_worker", False),  # a template's worker handed it back
    }
