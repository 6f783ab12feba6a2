"""The judge's command line, exactly as the contract in DESIGN.md states it."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "solutions" / "module_basics_forward.py"
WRONG = ROOT / "tests" / "submissions" / "wrong_answer" / "no_scaling.py"
PROBLEM = "module_basics_forward"

pytestmark = pytest.mark.slow  # each command that judges boots a judge of its own


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run `python -m playground ...` from the project root."""
    return subprocess.run(
        [sys.executable, "-m", "playground", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        timeout=120,
    )


def json_lines(result: subprocess.CompletedProcess) -> list[dict]:
    lines = result.stdout.decode().splitlines()
    return [json.loads(line) for line in lines]


def test_one_json_line_per_file_in_order_and_exit_1_when_any_fails(tmp_path):
    killer = tmp_path / "exits_early.py"
    killer.write_text("import os\ndef module_basics_forward(seed, x, features):\n    os._exit(3)\n")
    result = cli("judge", PROBLEM, str(GOOD), str(killer), str(WRONG), str(GOOD), "--json")
    verdicts = json_lines(result)
    assert [v["file"] for v in verdicts] == [str(GOOD), str(killer), str(WRONG), str(GOOD)]
    assert [v["status"] for v in verdicts] == ["accepted", "runtime_error", "wrong_answer", "accepted"]
    assert result.returncode == 1
    for verdict in verdicts:
        assert verdict["version"] == 2 and verdict["problem"] == PROBLEM and verdict["mode"] == "submit"
        for key in ("message", "hint", "passed", "total", "tests", "stdout", "warnings", "elapsed_ms"):
            assert key in verdict


def test_exit_0_when_every_file_is_accepted_and_run_mode_runs_the_examples():
    result = cli("judge", PROBLEM, str(GOOD), "--mode", "run", "--json")
    (verdict,) = json_lines(result)
    assert result.returncode == 0
    assert verdict["mode"] == "run" and verdict["total"] == 3
    assert all(not t["hidden"] for t in verdict["tests"])


def test_stdin_source():
    result = cli("judge", PROBLEM, "-", "--json", stdin=GOOD.read_bytes())
    (verdict,) = json_lines(result)
    assert verdict["status"] == "accepted" and verdict["file"] == "<stdin>"


def test_readable_report_without_json():
    result = cli("judge", PROBLEM, str(WRONG))
    text = result.stdout.decode()
    assert result.returncode == 1
    assert "Wrong answer" in text and "hint:" in text and "sqrt" in text
    assert "sandbox protections active" in result.stderr.decode()


@pytest.mark.parametrize(
    "args, words",
    [
        (("judge", "no_such_problem", str(GOOD)), "unknown problem"),
        (("judge", PROBLEM, "/no/such/file.py"), "no such file"),
        (("judge", PROBLEM, str(ROOT / "tests")), "folder"),
        (("judge", PROBLEM, str(GOOD), "--mode", "fast"), "invalid choice"),
        (("judge", PROBLEM), "the following arguments are required"),
        (("nonsense",), "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_a_message_and_no_traceback(args, words):
    result = cli(*args)
    stderr = result.stderr.decode()
    assert result.returncode == 2
    assert words in stderr
    assert "Traceback" not in stderr
    assert result.stdout == b""


BAD_FILES = {  # name: (content, words its compile error names)
    "empty": (b"", "empty"),
    "blank": (b"   \n\n", "empty"),
    "non-utf8": (b"def module_basics_forward(seed, x, features):\n    return '\xff\xfe'\n", "not UTF-8"),
    "5MB": (b"# " + b"a" * 5_000_000 + b"\n", "5,000,003 bytes"),
}


@pytest.fixture(scope="module")
def bad_files_judged(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, dict[str, dict]]:
    """One command judging every bad file, then a good one (each command boots a judge): its result, verdicts by name."""
    folder = tmp_path_factory.mktemp("bad-files")
    paths = []
    for name, (content, _) in BAD_FILES.items():
        paths.append(folder / f"{name}.py")
        paths[-1].write_bytes(content)
    result = cli("judge", PROBLEM, *map(str, paths), str(GOOD), "--json")
    verdicts = json_lines(result)
    assert len(verdicts) == len(BAD_FILES) + 1, result.stderr.decode()[-2000:]
    return result, dict(zip([*BAD_FILES, "good"], verdicts, strict=True))


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_get_a_clear_compile_error_verdict(bad_files_judged, name):
    result, verdicts = bad_files_judged
    bad, good = verdicts[name], verdicts["good"]
    assert bad["status"] == "compile_error" and BAD_FILES[name][1] in bad["message"]
    assert good["status"] == "accepted"
    assert result.returncode == 1
    assert "Traceback" not in result.stderr.decode()


def test_each_verdict_is_flushed_as_soon_as_it_is_ready(tmp_path):
    slow = tmp_path / "slow.py"
    # A second each for the three examples: the first verdict is out well before this one is.
    slow.write_text("import time\ndef module_basics_forward(seed, x, features):\n    time.sleep(1)\n    return x\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "playground", "judge", PROBLEM, str(GOOD), str(slow), "--json", "--mode", "run"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    try:
        first = json.loads(process.stdout.readline())
        assert first["status"] == "accepted"
        assert process.poll() is None, "the first verdict arrived only after the process ended"
        time.sleep(0.1)
        second = json.loads(process.stdout.readline())
        assert second["status"] == "wrong_answer"
    finally:
        process.kill()
        process.wait()


def test_list_names_the_problems():
    plain = cli("list")
    assert plain.returncode == 0 and PROBLEM in plain.stdout.decode()
    rows = json_lines(cli("list", "--json"))
    assert rows[0] == {"id": PROBLEM, "title": rows[0]["title"], "order": 1}
