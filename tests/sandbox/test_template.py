"""Warm templates: workers forked from a warmed JAX process, isolated like every worker, never compiling.

The hostile suite (tests/sandbox/test_sandbox_hostile.py) runs unchanged on these workers; this file checks
what is particular to them: they are used once warm, a compile sends the code to a fresh worker
with the same verdict, and a worker cannot make the judge loop by claiming it needs to compile.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import jax
import jax.numpy as jnp
import pytest

from playground.judge import Judge
from playground.judge.verdict import Status
from playground.measure.bench_spellings import spelling
from playground.measure.load import answers
from playground.problems import get_problem
from playground.sandbox.compile_hook import CompileWatch
from playground.sandbox.isolation import ALL_PROTECTIONS

PROBLEM_ID = "module_basics_forward"
SOLUTION = get_problem(PROBLEM_ID).solution_source()
# A correct answer with an op (sin of a new shape) no warm-up runs: a template's worker must compile.
NEEDS_COMPILE = SOLUTION.replace("return model(x)", "return model(x) + 0.0 * jnp.sin(jnp.ones((7, 5)))[0, 0]")
# A correct answer that also draws a 64x64 kernel with nnx.Linear's initialiser, an op XLA spreads
# over its thread pool: in a worker forked from a template it would wait forever for threads left
# behind in the template, so the stall watch hands the job to a fresh worker.
STALLS = SOLUTION.replace(
    "return model(x)", "return model(x) + 0.0 * nnx.initializers.lecun_normal()(nnx.Rngs(0).params(), (64, 64))[0, 0]"
)
# Blocks for a second while holding the GIL (libc's sleep called through PyDLL), the way MLIR's verifier
# once waited for a template's threads: no thread of the worker can run, so only the judge, reading
# the worker's CPU clock from outside, can see the stall.
HOLDS_GIL = "import ctypes\nctypes.PyDLL(None).sleep(1)\n" + SOLUTION
# A wrong answer whose draw no warm-up makes (Laplace instead of normal), so it is lowered anew: it once
# waited for ever on a template's worker and got time_limit_exceeded there, wrong_answer on a fresh one.
NEW_DRAW = SOLUTION.replace("jax.random.normal(key, ", "jax.random.laplace(key, ")
# Claims a compile on the result descriptor, then answers: only a template's worker may say it.
FAKE_CLAIM = (
    "import os, json, struct\n"
    "body = json.dumps({'type': 'needs_fresh_worker', 'reason': 'compile'}).encode()\n"
    "os.write(3, struct.pack('>I', len(body)) + body)\n" + SOLUTION
)


def cost(verdict) -> dict:
    return getattr(verdict, "cost", None) or {}


@pytest.fixture(scope="module")
def judge() -> Iterator[Judge]:
    """A judge whose pool for the problem is served by its warm template (waits for it, up to 3 min)."""
    if os.geteuid() != 0:
        pytest.skip("warm templates are checked where full isolation is possible (root on Linux)")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLAYGROUND_WARM_TEMPLATES", "1")  # on by default; set here in case the runner turned it off
        started = Judge(pool_size=1, problems=[PROBLEM_ID])
    with started:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if cost(started.submit(PROBLEM_ID, SOLUTION)).get("template"):
                break
            time.sleep(1.0)
        else:
            pytest.fail("no worker came from a warm template within 3 minutes")
        yield started


def test_compile_watch_counts_a_new_op():
    watch = CompileWatch()
    watch.install()
    jnp.cos(jnp.ones((3, 11, 2))).block_until_ready()
    assert watch.compiles + watch.cache_reads >= 1
    before = watch.counts()
    jnp.cos(jnp.ones((3, 11, 2))).block_until_ready()  # compiled already: nothing new
    assert watch.counts() == before
    assert jax.numpy.ones(()).item() == 1.0


@pytest.mark.slow
def test_template_workers_have_every_protection_and_compile_nothing(judge):
    for source in (SOLUTION, spelling(PROBLEM_ID)):
        verdict = judge.submit(PROBLEM_ID, source)
        assert verdict.status is Status.ACCEPTED, verdict.message
        assert cost(verdict)["template"] and not cost(verdict)["rerun_fresh"], cost(verdict)
        assert cost(verdict)["compiles"] == 0 and cost(verdict)["cache_reads"] == 0, cost(verdict)
    assert judge.missing_protections() == [], judge.protections
    assert set(judge.protections) == set(ALL_PROTECTIONS)


@pytest.mark.slow
def test_an_answer_off_by_a_constant_is_judged_by_the_template_worker(judge):
    # The load driver's wrong answer: every part of the right one, plus 1 (an op of its own).
    verdict = judge.submit(PROBLEM_ID, answers(get_problem(PROBLEM_ID))[Status.WRONG_ANSWER])
    assert verdict.status is Status.WRONG_ANSWER, verdict.message
    assert cost(verdict)["template"] and not cost(verdict)["rerun_fresh"], cost(verdict)


@pytest.mark.slow
def test_a_compile_reruns_on_a_fresh_worker_with_the_same_verdict(judge):
    verdict = judge.submit(PROBLEM_ID, "print('hello from the learner')\n" + NEEDS_COMPILE)
    assert verdict.status is Status.ACCEPTED, verdict.message
    assert cost(verdict)["rerun_fresh"] == "compile" and not cost(verdict)["template"], cost(verdict)
    assert cost(verdict)["compiles"] + cost(verdict)["cache_reads"] >= 1
    # Only the fresh worker's output is kept: the first, stopped run printed it too.
    assert verdict.stdout.count("hello from the learner") == 1, verdict.stdout


@pytest.mark.slow
def test_a_stalled_op_reruns_on_a_fresh_worker_with_the_same_verdict(judge):
    verdict = judge.submit(PROBLEM_ID, "print('hello from the learner')\n" + STALLS)
    # Not time_limit_exceeded: the stall is noticed while the code runs, not at the limit.
    assert verdict.status is Status.ACCEPTED, verdict.message
    # Seen by the worker's own watch ("stall") or by the judge's ("stalled"), whichever looks first.
    assert cost(verdict)["rerun_fresh"] in ("stall", "stalled") and not cost(verdict)["template"], cost(verdict)
    assert verdict.stdout.count("hello from the learner") == 1, verdict.stdout


@pytest.mark.slow
def test_a_wait_that_holds_the_gil_is_seen_by_the_judge(judge):
    verdict = judge.submit(PROBLEM_ID, HOLDS_GIL)
    assert verdict.status is Status.ACCEPTED, verdict.message
    assert cost(verdict)["rerun_fresh"] == "stalled" and not cost(verdict)["template"], cost(verdict)


@pytest.mark.slow
def test_a_newly_lowered_wrong_draw_gets_the_fresh_workers_verdict(judge):
    verdict = judge.submit(PROBLEM_ID, NEW_DRAW)
    assert verdict.status is Status.WRONG_ANSWER, verdict.message
    assert cost(verdict)["rerun_fresh"] == "compile", cost(verdict)


@pytest.mark.slow
def test_a_claimed_compile_is_honoured_once_only(judge):
    verdict = judge.submit(PROBLEM_ID, FAKE_CLAIM)
    # Rerun once on a fresh worker, where the same claim is a protocol error, not another rerun.
    assert cost(verdict)["rerun_fresh"], cost(verdict)
    assert verdict.status is Status.RUNTIME_ERROR, verdict.message
    after = judge.submit(PROBLEM_ID, SOLUTION)
    assert after.status is Status.ACCEPTED, after.message
