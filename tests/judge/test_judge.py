"""The judge's Python API as DESIGN.md fixes it: exact JSON keys, threads, hidden tests hidden."""

import json
import os
import threading

import pytest

from playground.judge import Judge
from playground.judge.verdict import Status
from playground.problems import get_problem

PROBLEM = "module_basics_forward"
TOP_KEYS = {
    "version", "problem", "file", "mode", "status", "message", "hint",
    "passed", "total", "tests", "stdout", "warnings", "elapsed_ms",
}  # fmt: skip
VISIBLE_TEST_KEYS = {"name", "hidden", "passed", "message", "max_abs_error", "input", "expected", "got"}
HIDDEN_TEST_KEYS = {"name", "hidden", "passed", "message", "max_abs_error"}


@pytest.fixture()
def judge(basics_judge: Judge) -> Judge:
    """`Judge(problems=[PROBLEM])`, started: the one the layer's suites share (tests/conftest.py)."""
    return basics_judge


@pytest.fixture(scope="module")
def reference_source():
    return get_problem(PROBLEM).solution_source()


def test_json_object_has_exactly_the_contract_fields(judge, reference_source):
    result = judge.submit(PROBLEM, reference_source, mode="submit").to_dict()
    assert set(result) == TOP_KEYS
    assert result["version"] == 2 and result["mode"] == "submit" and result["status"] == "accepted"
    assert isinstance(result["elapsed_ms"], float) and result["elapsed_ms"] > 0
    for test in result["tests"]:
        assert set(test) == (HIDDEN_TEST_KEYS if test["hidden"] else VISIBLE_TEST_KEYS)
    json.dumps(result, allow_nan=False)


def test_run_mode_runs_only_the_visible_examples(judge, reference_source):
    result = judge.submit(PROBLEM, reference_source, mode="run").to_dict()
    assert result["total"] == 3 and not any(t["hidden"] for t in result["tests"])


def test_printing_hidden_inputs_does_not_leak_them(judge):
    source = (
        "def module_basics_forward(seed, x, features):\n"
        "    print('SEEN', seed, features, [float(v) for v in x])\n"
        "    raise ValueError(f'inputs were {seed} {features} {[float(v) for v in x]}')\n"
    )
    verdict = judge.submit(PROBLEM, source)
    text = json.dumps(verdict.to_dict())
    assert verdict.status is Status.RUNTIME_ERROR
    assert verdict.stdout.count("SEEN") == 3  # the visible examples only
    for case in get_problem(PROBLEM).cases:
        if case.hidden and len(case.inputs["x"]) >= 3:
            assert ", ".join(str(v) for v in case.inputs["x"][:3]) not in text


def test_output_is_captured_with_warnings(judge):
    source = get_problem(PROBLEM).solution_source().replace(
        "    return model(x)", "    import warnings\n    warnings.warn('careful')\n    print('hello')\n    return model(x)"
    )
    verdict = judge.submit(PROBLEM, source, mode="run")
    assert verdict.status is Status.ACCEPTED
    assert verdict.stdout == "hello\n" * 3
    assert any("careful" in w and "UserWarning" in w for w in verdict.warnings)


def test_runtime_error_names_the_learners_line_only(judge):
    source = "def module_basics_forward(seed, x, features):\n    y = [1]\n    return y[5]\n"
    verdict = judge.submit(PROBLEM, source, mode="run")
    assert verdict.status is Status.RUNTIME_ERROR
    assert "line 3" in verdict.message and "IndexError" in verdict.message
    assert "worker.py" not in verdict.message and "playground" not in verdict.message


def test_unknown_problem_and_mode_are_caller_errors(judge, reference_source):
    with pytest.raises(KeyError):
        judge.submit("no_such_problem", reference_source)
    with pytest.raises(ValueError):
        judge.submit(PROBLEM, reference_source, mode="fast")


def test_submissions_from_many_threads_are_all_judged(judge, reference_source):
    wrong = reference_source.replace("* scale", "")
    results: dict[int, str] = {}

    def learner(index: int) -> None:
        source = reference_source if index % 2 == 0 else wrong
        results[index] = judge.submit(PROBLEM, source, mode="submit").status.value

    threads = [threading.Thread(target=learner, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert results == {i: "accepted" if i % 2 == 0 else "wrong_answer" for i in range(8)}


def test_protections_are_reported(judge):
    assert isinstance(judge.protections, tuple)
    assert set(judge.missing_protections()).isdisjoint(judge.protections)


def test_a_dead_judges_mount_point_folder_is_removed(tmp_path, monkeypatch):
    import tempfile

    from playground.sandbox.pool import Sandbox
    from playground.sandbox.worker_factory import ROOT_PREFIX

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = tmp_path / f"{ROOT_PREFIX}{2**22 + 12345}-left"
    alive = tmp_path / f"{ROOT_PREFIX}{os.getpid()}-mine"
    dead.mkdir()
    alive.mkdir()
    sandbox = Sandbox()
    try:
        assert not dead.exists() and alive.exists()
    finally:
        sandbox.close()


def test_internal_error_is_ours_worded_as_such_and_not_recorded():
    from playground.judge.verdict import CONTRACT_VERSION, Mode, Verdict, internal_error_message

    ours = Verdict(PROBLEM, "f.py", Mode.SUBMIT, Status.INTERNAL_ERROR, internal_error_message("the zygote died"))
    assert ours.status.words == "Internal error" and ours.status.is_ours and not ours.recordable
    assert "our fault" in ours.message and "try again" in ours.message and "the zygote died" in ours.message
    assert ours.to_dict()["status"] == "internal_error" and ours.to_dict()["version"] == CONTRACT_VERSION == 2
    others = [Verdict(PROBLEM, "f.py", Mode.SUBMIT, status, "") for status in Status if status is not Status.INTERNAL_ERROR]
    assert all(v.recordable and not v.status.is_ours for v in others)


@pytest.mark.parametrize(
    ("ending", "retried"),
    [
        ({"exit_code": -9}, True),  # killed from outside: not the memory cgroup, not a limit
        ({"exit_code": None}, True),  # the keeper vanished before it could tell the exit
        ({"exit_code": -11}, True),  # a crash is run again once; a second one is the code's
        ({"exit_code": 0}, False),  # a normal exit is always the process ending itself
        ({"exit_code": -9, "memory_exceeded": True}, False),
        ({"exit_code": -9, "timed_out": True}, False),
        ({"exit_code": -9, "output_exceeded": True}, False),
        ({"exit_code": -9, "finished": True}, False),
        ({"exit_code": None, "protocol_error": "bad frame"}, False),
        ({"internal_error": "no worker"}, False),
    ],
)
def test_only_deaths_no_limit_explains_are_run_again(ending, retried):
    from playground.sandbox.records import RunOutcome

    assert RunOutcome(**ending).died_unexplained is retried
