"""Hostile submissions: one test per guarantee of DESIGN.md's trust boundary (GitHub issue #3).

Each attack is a submission whose module_basics_forward (or module top level) does the attack;
each test asserts on the verdict and on the host afterwards. Every attack bounds itself (loop
counts, sizes, byte counts, sleeps), so a broken sandbox cannot take the machine down, and the
judge's 10-second wall limit is the backstop; every submission also runs under `judged`, which
fails the test instead of hanging when the judge does not answer in time.
"""

from __future__ import annotations

import errno
import json
import os
import re
import resource
import signal
import socket
import struct
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest

from playground.judge import IsolationError, Judge, default_cache_dir
from playground.judge.verdict import Status, Verdict
from playground.measure.bench import settle
from playground.problems import get_problem
from playground.sandbox import cgroups
from playground.sandbox.isolation import ALL_PROTECTIONS
from tests.support.isolation_required import guard

ROOT = Path(__file__).resolve().parents[2]
PROBLEM_ID = "module_basics_forward"
PROBLEM = get_problem(PROBLEM_ID)
SOLUTION = (ROOT / "solutions" / f"{PROBLEM_ID}.py").read_text(encoding="utf-8")
HIDDEN = [case for case in PROBLEM.cases if case.hidden]
SECRET = f"hs-secret-{uuid.uuid4().hex}"
UID_BASE = 1_500_000
WALL_S = 10.0
GUARD_S = WALL_S + 25.0  # a submission that takes longer than this means the judge itself hung
OUTPUT_CAP = 64 * 1024
FAST_S = 1.5  # about 50 ms when the machine is idle; generous because other suites share its two cores

pytestmark = pytest.mark.slow  # a judge with isolation required, and attacks that run to their limits
protections_in_place = guard("the hostile suite")


# ----- helpers ---------------------------------------------------------------------------------


def attack(body: str, *, solution: bool = True) -> str:
    """A submission: the attack's code, then (unless told otherwise) a correct solution."""
    code = textwrap.dedent(body).strip() + "\n"
    return code + "\n" + SOLUTION if solution else code


def after_solution(body: str) -> str:
    """A submission whose attack wraps the correct solution (defined first, as `_solve`)."""
    return SOLUTION + "\n_solve = module_basics_forward\n\n" + textwrap.dedent(body).strip() + "\n"


def judged(judge: Judge, source: str, mode: str = "submit", guard: float = GUARD_S) -> Verdict:
    """The verdict, or a test failure if the judge does not answer within the guard."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["verdict"] = judge.submit(PROBLEM_ID, source, mode=mode)
        except BaseException as exc:  # noqa: BLE001 - reported below as a failure of submit
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(guard)
    if thread.is_alive():
        pytest.fail(f"the judge gave no verdict within {guard:.0f} s")
    if "error" in box:
        raise AssertionError("Judge.submit raised, which it must never do") from box["error"]
    verdict = box["verdict"]
    assert isinstance(verdict, Verdict)
    return verdict


def assert_still_works(judge: Judge, fast: bool = False) -> None:
    """A correct submission right after an attack is accepted (with `fast`, quickly too)."""
    if fast:
        # Warming a worker to replace the attacker's is the pool's cost, not the judge's: time only
        # the judging, which an attack must not have slowed down.
        assert judge.wait_until_ready(PROBLEM_ID, 60)
    verdict = judged(judge, SOLUTION)
    assert verdict.status is Status.ACCEPTED, verdict.message
    if fast:
        assert verdict.elapsed_ms < FAST_S * 1000, f"a correct submission took {verdict.elapsed_ms:.0f} ms"


def report(verdict: Verdict, tag: str = "REPORT") -> dict:
    """The JSON object an attack printed on one line after `tag`."""
    match = re.search(rf"^{tag} (.*)$", verdict.stdout, flags=re.MULTILINE)
    assert match, f"the attack printed no {tag} line; stdout: {verdict.stdout[:500]!r}; {verdict.message}"
    return json.loads(match.group(1))


def processes() -> list[tuple[int, int, str, str]]:
    """(pid, uid, comm, cgroups) of every process on the host."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
            comm = Path(f"/proc/{entry}/comm").read_text().strip()
            groups = Path(f"/proc/{entry}/cgroup").read_text()
        except OSError:
            continue  # it ended while we looked
        uid = int(status.split("\nUid:")[1].split()[0])
        found.append((int(entry), uid, comm, groups))
    return found


def ours_or_unconfined(groups: str) -> bool:
    """True for a process in this test process's judge cgroups, or in no judge's at all.

    Other suites may run judges (with the same uid range) on this machine at the same time.
    """
    return f"playground-{os.getpid()}-" in groups or "playground-" not in groups


def hidden_needles(baseline: str) -> set[str]:
    """Texts that would show a hidden test's inputs: whole x lists, long values, big seeds."""
    needles = set()
    for case in HIDDEN:
        needles.add(json.dumps(case.inputs["x"]))
        needles.update(repr(v) for v in case.inputs["x"] if len(repr(v)) >= 8)
        if case.inputs["seed"] >= 1000:
            needles.add(str(int(case.inputs["seed"])))
    return {n for n in needles if n not in baseline}


# ----- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def judge() -> Iterator[Judge]:
    """One judge for the suite, started with a secret in the environment and isolation required."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLAYGROUND_TEST_SECRET", SECRET)
        patch.setenv("PLAYGROUND_REQUIRE_ISOLATION", "1")  # start() raises if anything is missing
        started = Judge(pool_size=2, problems=[PROBLEM_ID])
        started.start()
        assert started.wait_until_ready(PROBLEM_ID, 120)
        # Warm templates are on by default: run the suite on the workers they fork once they serve.
        settle(started, PROBLEM_ID, SOLUTION)
        try:
            yield started
        finally:
            started.close()


@pytest.fixture(scope="module")
def needles(judge: Judge) -> set[str]:
    baseline = json.dumps(judged(judge, SOLUTION).to_dict())
    found = hidden_needles(baseline)
    assert len(found) >= 20, found
    return found


# ----- 1. a fresh process per submission --------------------------------------------------------

POLLUTE = """
import builtins, os, sys, types
import jax.numpy as jnp
import numpy as np
from flax import nnx

builtins.HS_POLLUTED = True
jnp.HS_POLLUTED = True
jnp.matmul = lambda *args, **kwargs: "poisoned"
np.allclose = lambda *args, **kwargs: True
sys.modules["hs_planted"] = types.ModuleType("hs_planted")
os.environ["HS_POLLUTED"] = "1"
with open("/tmp/hs_marker", "w") as marker:
    marker.write("left behind")
HS_GLOBAL = "set by A"
"""

INSPECT = """
import builtins, json, os, sys
import jax.numpy as jnp
import numpy as np
from flax import nnx

dirty = []
if hasattr(builtins, "HS_POLLUTED"): dirty.append("builtins")
if hasattr(jnp, "HS_POLLUTED") or getattr(jnp.matmul, "__name__", "") == "<lambda>": dirty.append("jax.numpy")
if getattr(np.allclose, "__name__", "") == "<lambda>": dirty.append("numpy")
if "hs_planted" in sys.modules: dirty.append("sys.modules")
if "HS_POLLUTED" in os.environ: dirty.append("environ")
if "HS_GLOBAL" in globals() or hasattr(sys.modules.get("__main__"), "HS_GLOBAL"): dirty.append("globals")
if os.path.exists("/tmp/hs_marker"): dirty.append("/tmp")
print("REPORT", json.dumps({"dirty": dirty, "tmp": sorted(os.listdir("/tmp"))}))
"""


def test_each_submission_gets_a_fresh_process(judge):
    judged(judge, attack(POLLUTE))
    # Three checks: the first two may get workers warmed before A ran, the third one made after.
    for _ in range(3):
        verdict = judged(judge, attack(INSPECT))
        assert verdict.status is Status.ACCEPTED, verdict.message
        seen = report(verdict)
        assert seen["dirty"] == [], f"submission B saw what A left: {seen['dirty']}"
        assert set(seen["tmp"]) <= TMP_MOUNTPOINTS, seen["tmp"]


# ----- 2. no network ----------------------------------------------------------------------------

NETWORK = """
import json, socket
PORT, ABSTRACT = {port}, {abstract!r}
outcome = {{}}

def attempt(name, family, kind, address, send=False):
    s = socket.socket(family, kind)
    s.settimeout(2)
    try:
        if send:
            s.sendto(b"hostile", address)
        else:
            s.connect(address)
            s.sendall(b"hostile")
        outcome[name] = "connected"
    except OSError as exc:
        outcome[name] = "blocked: " + type(exc).__name__
    finally:
        s.close()

attempt("tcp_host", socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", PORT))
attempt("udp_host", socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", PORT), send=True)
attempt("tcp_external", socket.AF_INET, socket.SOCK_STREAM, ("1.1.1.1", 443))
attempt("udp_external_dns", socket.AF_INET, socket.SOCK_DGRAM, ("8.8.8.8", 53), send=True)
attempt("tcp6_external", socket.AF_INET6, socket.SOCK_STREAM, ("2606:4700:4700::1111", 443))
attempt("unix_abstract", socket.AF_UNIX, socket.SOCK_STREAM, ABSTRACT)
try:
    socket.getaddrinfo("example.com", 80)
    outcome["dns"] = "resolved"
except OSError as exc:
    outcome["dns"] = "blocked: " + type(exc).__name__
with open("/proc/net/dev") as devices:
    outcome["interfaces"] = sorted(line.split(":")[0].strip() for line in devices if ":" in line)
print("REPORT", json.dumps(outcome))
"""


def test_no_network(judge):
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    abstract = f"\0hs-{uuid.uuid4().hex}"
    try:
        tcp.bind(("127.0.0.1", 0))
        tcp.listen(8)
        port = tcp.getsockname()[1]
        udp.bind(("127.0.0.1", port))
        unix.bind(abstract)
        unix.listen(8)
        for listener in (tcp, udp, unix):
            listener.setblocking(False)
        verdict = judged(judge, attack(NETWORK.format(port=port, abstract=abstract)))
        assert verdict.status is Status.ACCEPTED, verdict.message
        outcome = report(verdict)
        interfaces = outcome.pop("interfaces")
        assert set(interfaces) <= {"lo"}, interfaces
        assert all(result.startswith("blocked") for result in outcome.values()), outcome
        for listener in (tcp, unix):
            with pytest.raises(BlockingIOError):
                listener.accept()
        with pytest.raises(BlockingIOError):
            udp.recv(64)
    finally:
        for listener in (tcp, udp, unix):
            listener.close()


KERNEL_SURFACE = """
import ctypes, json, platform
libc = ctypes.CDLL(None, use_errno=True)
x86 = platform.machine() == "x86_64"
def errno_of(result):
    return "allowed" if result >= 0 else ctypes.get_errno()
outcome = {
    "unshare_user": errno_of(libc.unshare(0x10000000)),
    "unshare_mount": errno_of(libc.unshare(0x00020000)),
    "mount": errno_of(libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, None)),
    "bpf": errno_of(libc.syscall(321 if x86 else 280, 0, None, 0)),
    "io_uring_setup": errno_of(libc.syscall(425, 8, None)),
    "ptrace_traceme": errno_of(libc.syscall(101 if x86 else 117, 0, 0, 0, 0)),
    "clone3": errno_of(libc.syscall(435, None, 0)),
}
print("REPORT", json.dumps(outcome))
"""


def test_kernel_surface_is_filtered(judge):
    # Namespaces, mounts, BPF, io_uring and tracing are refused by the syscall filter (EPERM),
    # and clone3 claims not to exist (ENOSYS) so libc falls back to the filtered clone.
    verdict = judged(judge, attack(KERNEL_SURFACE), mode="run")
    assert verdict.status is Status.ACCEPTED, verdict.message
    outcome = report(verdict)
    clone3 = outcome.pop("clone3")
    assert clone3 == errno.ENOSYS
    assert outcome == {name: errno.EPERM for name in outcome}, outcome


CPU_HOG = """
import json, os, time
def spin(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
children = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        spin(1.5)
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
used = os.times()
print("REPORT", json.dumps({"cpu_s": used.children_user + used.children_system}))
"""


def test_a_submission_gets_at_most_one_core(judge):
    # Four processes spinning for 1.5 s would use about 3 CPU-seconds on two free cores; with the
    # one-core quota they share 1.5 s between them.
    verdict = judged(judge, attack(CPU_HOG), mode="run")
    assert verdict.status is Status.ACCEPTED, verdict.message
    assert report(verdict)["cpu_s"] < 2.0


# ----- 3. no view of the project, the environment or other files; only a small /tmp -------------

# What the sandbox is meant to show besides system folders: Python, its packages, the compile cache.
ALLOWED = sorted(
    {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, sys.exec_prefix)}
    | {default_cache_dir(), "/etc/ld.so.cache", "/etc/localtime"}
)
# Where Python or the cache live under /tmp (a checkout in /tmp, say), their read-only mounts
# stand in the private /tmp too: those folders are the only entries it may start with.
TMP_MOUNTPOINTS = {Path(p).relative_to("/tmp").parts[0] for p in ALLOWED if p.startswith("/tmp/")}
SYSTEM_TOP = {"bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "dev", "proc", "tmp", "etc"}

LOOK_AROUND = """
import json, os
ALLOWED, PROJECT, DATA = {allowed!r}, {project!r}, {data!r}
READ = {read!r}
seen = {{"env": dict(os.environ), "top": sorted(os.listdir("/")), "read": {{}}, "unexpected": []}}
for path in READ:
    try:
        with open(path, "rb") as handle:
            seen["read"][path] = "READ " + handle.read(300).decode("latin-1")
    except OSError as exc:
        seen["read"][path] = "refused " + type(exc).__name__

def allowed(path):
    return any(path == a or path.startswith(a + "/") for a in ALLOWED)

def on_the_way(path):
    return any(a.startswith(path + "/") for a in ALLOWED)

for top in ("/root", "/home", "/work", "/etc", "/var", "/srv", "/opt", "/mnt", "/media", "/run", "/boot", PROJECT, DATA):
    for folder, dirs, files in os.walk(top):
        if allowed(folder):
            dirs[:] = []
            continue
        for name in dirs + files:
            path = os.path.join(folder, name)
            if not allowed(path) and not on_the_way(path):
                seen["unexpected"].append(path)
        if len(seen["unexpected"]) > 50:
            break
print("REPORT", json.dumps(seen))
"""


def test_no_view_of_project_environment_or_host_files(judge):
    data_dir = os.environ.get("PLAYGROUND_DATA_DIR") or str(ROOT / "data")
    read = [
        f"solutions/{PROBLEM_ID}.py",
        f"../solutions/{PROBLEM_ID}.py",
        str(ROOT / "solutions" / f"{PROBLEM_ID}.py"),
        str(ROOT / "playground" / "problems" / PROBLEM_ID / "cases.py"),
        str(ROOT / "pyproject.toml"),
        str(Path(data_dir) / "playground.sqlite3"),
        "/proc/1/environ",
        "/proc/self/environ",
        "/etc/shadow",
        "/etc/passwd",
        "/root/.bash_history",
        "/root/.ssh/id_rsa",
    ]
    source = attack(LOOK_AROUND.format(allowed=ALLOWED, project=str(ROOT), data=data_dir, read=read))
    verdict = judged(judge, source)
    assert verdict.status is Status.ACCEPTED, verdict.message
    assert SECRET not in json.dumps(verdict.to_dict())
    seen = report(verdict)
    assert set(seen["env"]) <= {"HOME", "TMPDIR", "PATH", "LANG"}, seen["env"]
    assert not any(key.startswith("PLAYGROUND") for key in seen["env"])
    readable = {path: result for path, result in seen["read"].items() if result.startswith("READ")}
    assert readable == {}, f"the sandbox could read: {readable}"
    allowed_top = SYSTEM_TOP | {Path(a).parts[1] for a in ALLOWED}
    assert set(seen["top"]) <= allowed_top, seen["top"]
    assert seen["unexpected"] == [], f"the sandbox can see: {seen['unexpected'][:20]}"


WRITE = """
import errno, json, os
TARGETS = {targets!r}
outcome = {{"elsewhere": {{}}}}
for path in TARGETS:
    try:
        with open(path, "w") as handle:
            handle.write("hostile")
        outcome["elsewhere"][path] = "written"
    except OSError as exc:
        outcome["elsewhere"][path] = "refused " + type(exc).__name__

def fill(path, mib):
    written = 0
    try:
        with open(path, "wb") as handle:
            for _ in range(mib):
                handle.write(b"x" * (1 << 20))
                handle.flush()
                written += 1
        return f"wrote {{written}} MiB"
    except OSError as exc:
        return f"stopped after {{written}} MiB: {{errno.errorcode.get(exc.errno, exc.errno)}}"

outcome["tmp_8"] = fill("/tmp/hs_eight", 8)
os.remove("/tmp/hs_eight")
outcome["tmp_32"] = fill("/tmp/hs_big", 32)
os.remove("/tmp/hs_big")
with open("/tmp/hs_left_behind", "w") as handle:
    handle.write("for the next submission")
print("REPORT", json.dumps(outcome))
"""


def test_only_a_small_private_tmp_is_writable(judge):
    targets = [
        "/hs_probe",
        "/usr/hs_probe",
        "/etc/hs_probe",
        "/dev/hs_probe",
        "/proc/hs_probe",
        os.path.join(sys.prefix, "hs_probe"),
        os.path.join(default_cache_dir(), "hs_probe"),
        str(ROOT / "hs_probe"),
    ]
    verdict = judged(judge, attack(WRITE.format(targets=targets)))
    assert verdict.status is Status.ACCEPTED, verdict.message
    outcome = report(verdict)
    assert all(r.startswith("refused") for r in outcome["elsewhere"].values()), outcome["elsewhere"]
    assert not any(Path(t).exists() for t in targets)
    assert outcome["tmp_8"] == "wrote 8 MiB"
    assert outcome["tmp_32"].startswith("stopped after 1") and outcome["tmp_32"].endswith(("ENOSPC", "EFBIG"))
    after = judged(judge, attack('import os\nprint("REPORT", __import__("json").dumps(os.listdir("/tmp")))'))
    assert set(report(after)) <= TMP_MOUNTPOINTS


# ----- 4. limits ----------------------------------------------------------------------------------

MEMORY_BOMBS = {
    "bytearray_at_load": "hog = bytearray(2 << 30)",
    "grow_in_call": after_solution(
        """
        def module_basics_forward(seed, x, features):
            blocks = [b"x" * (64 << 20) for _ in range(40)]  # 2.5 GiB at most
            return _solve(seed, x, features)
        """
    ),
    "jax_array": after_solution(
        """
        import jax.numpy as jnp

        def module_basics_forward(seed, x, features):
            return jnp.ones((1 << 29,), dtype=jnp.float32) + _solve(seed, x, features)[0]
        """
    ),
    # Each process has its own data limit, so only the cgroup stops 4 x 400 MiB of touched pages.
    "touched_in_children": """
        import os, time
        children = []
        for _ in range(4):
            pid = os.fork()
            if pid == 0:
                block = b"x" * (400 << 20)
                time.sleep(2)
                os._exit(0)
            children.append(pid)
        for pid in children:
            os.waitpid(pid, 0)
        """,
}


@pytest.mark.parametrize("name", MEMORY_BOMBS)
def test_memory_bomb_is_memory_limit_exceeded(judge, name):
    source = MEMORY_BOMBS[name]
    source = source if "def module_basics_forward" in source else attack(source)
    verdict = judged(judge, source)
    assert verdict.status is Status.MEMORY_LIMIT_EXCEEDED, verdict.message


SPIN = after_solution(
    """
    def module_basics_forward(seed, x, features):
        while True:
            pass
    """
)
SPIN_IGNORING_SIGNALS = attack(
    """
    import signal
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU):
        signal.signal(number, signal.SIG_IGN)
    while True:
        pass
    """
)


def test_endless_loops_are_stopped_at_the_wall_limit(judge):
    # Both at once (the pool has two workers), so the suite pays the 10 seconds only once.
    verdicts: dict[str, Verdict] = {}
    threads = [
        threading.Thread(target=lambda k=k, s=s: verdicts.__setitem__(k, judged(judge, s)), daemon=True)
        for k, s in (("spin", SPIN), ("ignores_signals", SPIN_IGNORING_SIGNALS))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(GUARD_S + 5)
    assert set(verdicts) == {"spin", "ignores_signals"}
    for name, verdict in verdicts.items():
        assert verdict.status is Status.TIME_LIMIT_EXCEEDED, (name, verdict.message)
        assert WALL_S - 0.5 <= verdict.elapsed_ms / 1000 <= WALL_S + 5, (name, verdict.elapsed_ms)


def test_segfault_is_a_runtime_error(judge):
    source = after_solution(
        """
        import ctypes

        def module_basics_forward(seed, x, features):
            return ctypes.string_at(0)
        """
    )
    verdict = judged(judge, source)
    assert verdict.status is Status.RUNTIME_ERROR, verdict.message
    assert "SIGSEGV" in verdict.message


FLOODS = {
    "print": "for i in range(200_000):\n    print('flood', i)",  # about 2.5 MB
    "raw_fd_1": "import os\nfor _ in range(2_000):\n    os.write(1, b'y' * 4096)",  # 8 MB
    "raw_fd_2": "import os\nfor _ in range(2_000):\n    os.write(2, b'z' * 4096)",
    "stderr_in_call": after_solution(
        """
        import sys

        def module_basics_forward(seed, x, features):
            for _ in range(100_000):
                sys.stderr.write("e" * 80 + "\\n")
            return _solve(seed, x, features)
        """
    ),
}


@pytest.mark.parametrize("name", FLOODS)
def test_output_flood_is_cut_and_the_judge_stays_fast(judge, name):
    source = FLOODS[name]
    source = source if "def module_basics_forward" in source else attack(source)
    verdict = judged(judge, source)
    assert verdict.status is Status.OUTPUT_LIMIT_EXCEEDED, verdict.message
    kept, _, note = verdict.stdout.rpartition("\n[output cut here")
    assert note, "the stdout carries no note where it was cut"
    assert len(kept.encode("utf-8")) <= OUTPUT_CAP
    assert len(verdict.stdout) < OUTPUT_CAP + 200
    assert_still_works(judge, fast=True)


BOMBS = {
    "fork_loop": """
        import json, os, time
        made = refused = 0
        for _ in range(200):
            try:
                pid = os.fork()
            except OSError:
                refused += 1
                continue
            if pid == 0:
                time.sleep(5)
                os._exit(0)
            made += 1
        print("REPORT", json.dumps({"made": made, "refused": refused}))
        """,
    # Every process forks again: 2**8 = 256 processes unless something stops it first.
    "fork_doubling": """
        import os, time
        root = os.getpid()
        for _ in range(8):
            try:
                os.fork()
            except OSError:
                pass
        if os.getpid() != root:
            time.sleep(5)
            os._exit(0)
        print("REPORT", '{"made": -1, "refused": -1}')
        """,
    "threads": """
        import json, threading, time
        made = refused = 0
        for _ in range(200):
            try:
                threading.Thread(target=time.sleep, args=(5,), daemon=True).start()
                made += 1
            except RuntimeError:
                refused += 1
        print("REPORT", json.dumps({"made": made, "refused": refused}))
        """,
}


@pytest.mark.parametrize("name", BOMBS)
def test_fork_and_thread_bombs_stop_at_the_task_limit(judge, name):
    verdict = judged(judge, attack(textwrap.dedent(BOMBS[name]) + 'print("UID", __import__("os").getuid())'))
    assert verdict.status is Status.ACCEPTED, verdict.message
    counts = report(verdict)
    if counts["made"] >= 0:
        assert counts["made"] < 64 and counts["refused"] > 100, counts
    uid = int(re.search(r"^UID (\d+)$", verdict.stdout, flags=re.MULTILINE).group(1))
    left = [p for p in processes() if p[1] == uid and ours_or_unconfined(p[3])]
    assert left == [], f"processes of the bomb outlived its verdict: {left[:5]}"
    assert_still_works(judge)


# ----- 5. no survivors ----------------------------------------------------------------------------

SURVIVOR = """
import ctypes, json, os, signal, time
libc = ctypes.CDLL(None)
print("REPORT", json.dumps({{"uid": os.getuid(), "cgroups": open("/proc/self/cgroup").read()}}), flush=True)
first = os.fork()
if first == 0:
    os.setsid()
    if os.fork() == 0:
        for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(number, signal.SIG_IGN)
        libc.prctl(1, 0, 0, 0, 0)  # no parent-death signal
        libc.prctl(15, {token!r}.encode(), 0, 0, 0)  # the name the host looks for
        time.sleep(2)
        libc.prctl(15, {marker!r}.encode(), 0, 0, 0)  # the marker: only a survivor can show it
        time.sleep(60)
        os._exit(0)
    os._exit(0)
os.waitpid(first, 0)
"""


def _task_uids(group: Path) -> list[int]:
    uids = []
    try:
        pids = (group / "cgroup.procs").read_text().split()
    except FileNotFoundError:
        return []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue  # gone between the two reads
        uids.append(int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1]))
    return uids


def test_no_process_survives_the_verdict(judge):
    token, marker = f"hs{uuid.uuid4().hex[:10]}", f"hm{uuid.uuid4().hex[:10]}"
    verdict = judged(judge, attack(SURVIVOR.format(token=token, marker=marker)))
    assert verdict.status is Status.ACCEPTED, verdict.message
    seen = report(verdict)
    assert seen["uid"] >= UID_BASE

    def leftovers() -> list[tuple[int, int, str, str]]:
        return [
            p
            for p in processes()
            if p[2] in (token, marker) or (p[1] == seen["uid"] and ours_or_unconfined(p[3]))
        ]

    assert leftovers() == []
    paths = cgroups.groups_in(seen["cgroups"])
    assert len(paths) in (1, 2) and all("playground-" in str(p) for p in paths), paths  # v2: one, v1: two
    # The verdict waits for every process of the learner's; the worker's trusted keeper (root) may
    # still be exiting, and the emptied groups themselves are removed just after the verdict.
    assert [uid for p in paths for uid in _task_uids(p)].count(seen["uid"]) == 0, paths
    deadline = time.monotonic() + 5
    while any(p.exists() for p in paths) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(p.exists() for p in paths), paths
    judge_groups = paths[-1].parent
    busy = [g for g in judge_groups.iterdir() if g.is_dir() and (g / "cgroup.procs").read_text().split()]
    assert len(busy) <= 3, busy  # the pool's two waiting workers and the fresh spare beside them, nothing else
    time.sleep(2.5)
    assert leftovers() == [], "a process of the submission woke up after its verdict"


JUDGE_THEN_DIE = """
import sys
from playground.judge import Judge
judge = Judge(pool_size=1, problems=[{problem!r}])
judge.start()
judge.wait_until_ready({problem!r}, 120)
print("ready", flush=True)
judge.submit({problem!r}, open(sys.argv[1]).read())
"""


def test_no_process_survives_the_judge_dying(tmp_path):
    token = f"hd{uuid.uuid4().hex[:10]}"
    sleeper = tmp_path / "sleeper.py"
    sleeper.write_text(
        attack(
            f"""
            import ctypes, time
            ctypes.CDLL(None).prctl(15, {token!r}.encode(), 0, 0, 0)
            time.sleep(30)
            """,
            solution=False,
        )
    )
    child = subprocess.Popen(
        [sys.executable, "-c", JUDGE_THEN_DIE.format(problem=PROBLEM_ID), str(sleeper)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    watchdog = threading.Timer(90, child.kill)  # bounds the readline below if the child hangs
    watchdog.start()
    try:
        assert child.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 15
        while not [p for p in processes() if p[2] == token] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [p for p in processes() if p[2] == token], "the submission never started"
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        deadline = time.monotonic() + 5
        while [p for p in processes() if p[2] == token] and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [p for p in processes() if p[2] == token]
        for pid, *_ in left:
            os.kill(pid, signal.SIGKILL)
        assert left == [], "the submission outlived the judge that ran it"
        # The dead judge could not remove its cgroups; the next judge to start removes them.
        assert cgroups.judge_parents(child.pid)
        cgroups.CgroupManager(f"playground-{os.getpid()}-sweep").close()
        assert not cgroups.judge_parents(child.pid)
    finally:
        watchdog.cancel()
        if child.poll() is None:
            child.kill()
            child.wait()
        for parent in cgroups.judge_parents(child.pid):
            cgroups.CgroupManager.destroy([str(g) for g in parent.iterdir() if g.is_dir()])
            with suppress(OSError):
                parent.rmdir()


# ----- 6. the judge cannot be fooled, crashed or slowed -------------------------------------------

FRAME = """
import json, os, struct

def frame(message):
    body = json.dumps(message).encode()
    return struct.pack(">I", len(body)) + body

ALL_PASSED = {
    "type": "results",
    "more": False,
    "warnings": [],
    "results": [{"name": n, "output": {"kind": "array", "shape": [1], "data": [0.0]}, "params": []} for n in NAMES],
}
"""

FOOLING = {
    "fake_verdict_and_frame_on_stdout": FRAME
    + """
print('{"version": 1, "status": "accepted", "message": "All 16 tests passed.", "passed": 16, "total": 16}')
os.write(1, frame(ALL_PASSED))
def module_basics_forward(seed, x, features):
    return [0.0]
""",
    "garbage_on_result_fd": """
import os
os.write(3, b"\\x00\\x00\\x00\\x10not json at all!")
def module_basics_forward(seed, x, features):
    return [0.0]
""",
    "oversized_frame_header": """
import os
os.write(3, b"\\xff\\xff\\xff\\xf0")
def module_basics_forward(seed, x, features):
    return [0.0]
""",
    "fake_results_on_result_fd": FRAME
    + """
os.write(3, frame(ALL_PASSED))
def module_basics_forward(seed, x, features):
    return [0.0]
""",
    "deeply_nested_frame": """
import os, struct
body = b'{"type": "results", "results": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
os.write(3, struct.pack(">I", len(body)) + body)
def module_basics_forward(seed, x, features):
    return [0.0]
""",
    "ill_typed_frame": FRAME
    + """
os.write(3, frame({"type": "results", "more": False, "warnings": 7, "results": [5, "s", {"name": 3},
    {"name": "example_1", "output": [1], "error": "boom", "params": {"shape": 1}}]}))
os._exit(0)
""",
    # A grader that multiplies this shape's two numbers builds a 600 MB string in the judge.
    "string_shape_in_frame": FRAME
    + """
os.write(3, frame({"type": "results", "more": False, "warnings": [], "results": [
    {"name": "example_1", "output": {"kind": "array", "shape": [4], "data": [0.0] * 4},
     "params": [{"shape": ["abcd", 150_000_000], "data": []}]}]}))
os._exit(0)
""",
    "kill_parent": after_solution(
        """
        import os

        def module_basics_forward(seed, x, features):
            os.kill(os.getppid(), 9)
            os.kill(-1, 9)
            return _solve(seed, x, features)[:0]
        """
    ),
    "exit_mid_test": after_solution(
        """
        import os
        calls = []

        def module_basics_forward(seed, x, features):
            calls.append(1)
            if len(calls) == 2:
                os._exit(0)
            return _solve(seed, x, features)
        """
    ),
    "close_result_fd": after_solution(
        """
        import os

        def module_basics_forward(seed, x, features):
            os.close(3)
            return _solve(seed, x, features)
        """
    ),
    "system_exit": after_solution(
        """
        import sys

        def module_basics_forward(seed, x, features):
            sys.exit(0)
        """
    ),
    "patched_numpy_comparisons": """
import numpy as np
import jax.numpy as jnp
np.allclose = np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(b), dtype=bool)
def module_basics_forward(seed, x, features):
    return jnp.zeros(int(features))
""",
    "malicious_array_and_eq": """
import numpy as np
class Liar:
    def __array__(self, dtype=None, copy=None):
        return np.zeros(3)
    def __eq__(self, other):
        return True
    def __len__(self):
        return 10**9
def module_basics_forward(seed, x, features):
    return Liar()
""",
    "raising_array_and_str": """
class Broken(Exception):
    def __str__(self):
        raise RuntimeError("no")
class Nasty:
    def __array__(self, dtype=None, copy=None):
        raise Broken()
def module_basics_forward(seed, x, features):
    return Nasty()
""",
    "huge_return_values": """
import numpy as np
def module_basics_forward(seed, x, features):
    return np.random.default_rng(0).random(1 << 16)
""",
    "far_too_big_return": """
import numpy as np
def module_basics_forward(seed, x, features):
    return np.ones(1 << 25)
""",
}


@pytest.mark.parametrize("name", FOOLING)
def test_the_judge_cannot_be_fooled(judge, name):
    names = [case.name for case in PROBLEM.cases]
    source = FOOLING[name].replace("NAMES", repr(names), 1) if "NAMES" in FOOLING[name] else FOOLING[name]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    verdict = judged(judge, source)
    assert verdict.status is not Status.ACCEPTED, verdict.message
    assert "our fault" not in verdict.message, "hostile output made the judge fail"
    assert verdict.passed < verdict.total
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grown_mib < 200, f"judging this made the judge's own memory grow by {grown_mib:.0f} MiB"
    assert_still_works(judge)


# ----- 7. hidden tests stay hidden ----------------------------------------------------------------

LEAKS = {
    "print_and_raise": after_solution(
        """
        calls = []

        def module_basics_forward(seed, x, features):
            calls.append(1)
            print("SEEN", seed, x.tolist(), features, flush=True)
            if len(calls) > 3:
                raise ValueError("SEEN " + repr(x.tolist()) + " " + repr(seed))
            return _solve(seed, x, features)
        """
    ),
    "thread_prints_later": after_solution(
        """
        import os, sys, threading, time
        seen = []
        saved_stdout = os.dup(1)

        def spill():
            for _ in range(2000):  # 10 seconds at most
                for item in list(seen):
                    try:
                        print("SEEN", item, flush=True)
                        sys.__stdout__.write("SEEN " + item + "\\n")
                        os.write(saved_stdout, ("SEEN " + item + "\\n").encode())
                        os.write(2, ("SEEN " + item + "\\n").encode())
                    except Exception:
                        pass
                time.sleep(0.005)

        def module_basics_forward(seed, x, features):
            seen.append(repr(x.tolist()))
            print("SEEN", x.tolist(), flush=True)
            if len(seen) == 1:
                threading.Thread(target=spill, daemon=True).start()
            return _solve(seed, x, features)
        """
    ),
    # Ask for the hidden tests early, read them from the job pipe, report them as visible results.
    "fake_request_for_hidden_tests": FRAME.replace("NAMES", "[]")
    + """
os.write(3, frame({"type": "results", "results": [], "warnings": [], "more": True}))
from playground.sandbox.protocol import read_frame_blocking
stolen = read_frame_blocking(0)
text = json.dumps(stolen)
values = [v for case in stolen["cases"] for v in case["inputs"]["x"]]
os.write(3, frame({"type": "results", "more": False, "warnings": ["SEEN " + text[:1900]], "results": [
    {"name": "example_1", "error": {"type": "Leak", "text": "Leak: " + text[:1900], "line": 1}, "params": []},
    {"name": "example_2", "output": {"kind": "array", "shape": [2], "data": values[:2]}, "params": []}]}))
os._exit(0)
""",
    # Let the harness read the hidden tests, then report them as results of visible tests.
    "patched_harness": after_solution(
        FRAME.replace("NAMES", "[]")
        + """
import playground.sandbox.worker as harness
original = harness.read_frame_blocking

def spy(fd, *args):
    message = original(fd, *args)
    if message.get("type") == "cases":
        text = json.dumps(message)
        values = [v for case in message["cases"] for v in case["inputs"]["x"]]
        os.write(3, frame({"type": "results", "more": False, "warnings": ["SEEN " + text[:1900]], "results": [
            {"name": "example_1", "error": {"type": "Leak", "text": "Leak: " + text[:1900], "line": 1}, "params": []},
            {"name": "example_3", "output": {"kind": "array", "shape": [1], "data": values[7:8]}, "params": []}]}))
    return message

harness.read_frame_blocking = spy
"""
    ),
}


@pytest.mark.parametrize("name", LEAKS)
def test_hidden_inputs_never_reach_the_verdict(judge, needles, name):
    verdict = judged(judge, LEAKS[name])
    text = json.dumps(verdict.to_dict())
    assert not [n for n in needles if n in text], f"hidden inputs in the verdict: {[n for n in needles if n in text]}"
    assert verdict.status is not Status.ACCEPTED or name == "thread_prints_later", verdict.message
    if name in ("print_and_raise", "thread_prints_later"):
        assert "[0.5, -1.5, 0.0, 2.0, 1.0]" in verdict.stdout, "visible tests' prints must still show"


# The grader (playground/grading.py) words hidden tests' failures with values the learner chose:
# the exception's type name, its line number, the parameters' shapes, the returned type's name.
GRADER_LEAKS = {
    "exception_type_name": """
        def module_basics_forward(seed, x, features):
            if len(calls) > 3:
                raise type("SEEN" + json.dumps(x.tolist()), (Exception,), {})()
    """,
    "line_number": """
        def module_basics_forward(seed, x, features):
            if len(calls) > 3:
                line = int(seed) % 1_000_000 + 1
                exec(compile("\\n" * (line - 1) + "raise ValueError()", "<submission>", "exec"))
    """,
    "parameter_shapes": """
        def module_basics_forward(seed, x, features):
            if len(calls) > 3:
                nnx.Param(jnp.zeros((abs(int(x[0] * 1000)) + 7, 1)))
    """,
    "returned_type_name": """
        def module_basics_forward(seed, x, features):
            if len(calls) > 3:
                return type("SEEN" + json.dumps(x.tolist()), (), {})()
    """,
}


def grader_leak_tokens(name: str) -> set[str]:
    if name == "line_number":
        return {str(int(c.inputs["seed"]) % 1_000_000 + 1) for c in HIDDEN if c.inputs["seed"] > 1000}
    if name == "parameter_shapes":
        return {f"({abs(int(c.inputs['x'][0] * 1000)) + 7}, 1)" for c in HIDDEN if c.inputs["x"][0] != 0}
    return {"SEEN" + json.dumps(c.inputs["x"]) for c in HIDDEN if len(c.inputs["x"]) <= 5}


@pytest.mark.parametrize("name", GRADER_LEAKS)
def test_hidden_failures_are_worded_without_learner_chosen_details(judge, name):
    body = textwrap.dedent(GRADER_LEAKS[name]).replace(
        "def module_basics_forward(seed, x, features):\n",
        "def module_basics_forward(seed, x, features):\n    calls.append(1)\n",
    )
    source = SOLUTION + "\nimport json\nimport jax.numpy as jnp\ncalls = []\n_solve = module_basics_forward\n\n"
    source += body + "    return _solve(seed, x, features)\n"
    text = json.dumps(judged(judge, source).to_dict())
    leaked = [t for t in grader_leak_tokens(name) if t in text]
    assert leaked == [], f"hidden inputs in the verdict: {leaked}"


def test_a_warm_worker_holds_no_hidden_values(judge):
    # A worker must not hold a hidden test's values before its code runs (they arrive only after
    # the visible results): read a waiting worker's memory from the host and look for some.
    values = [v for case in HIDDEN for v in case.inputs["x"] if len(repr(v)) >= 15][:3]
    needles = [repr(v).encode() for v in values] + [struct.pack("<d", v) for v in values]
    assert len(needles) == 6
    judge.wait_until_ready(PROBLEM_ID, 60)
    waiting = [p for p in processes() if p[1] >= UID_BASE and f"playground-{os.getpid()}-" in p[3]]
    assert waiting
    pid = waiting[0][0]
    found = []
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as memory:
        for line in maps:
            fields = line.split()
            anonymous = len(fields) == 5 or fields[5] in ("[heap]", "[stack]")
            if "r" not in fields[1] or not anonymous:
                continue  # hidden values could only arrive in data memory, not in mapped files
            low, high = (int(part, 16) for part in fields[0].split("-"))
            if high - low > 1 << 30:
                continue
            try:
                memory.seek(low)
                chunk = memory.read(high - low)
            except (OSError, OverflowError, ValueError):
                continue
            found += [n for n in needles if n in chunk]
    assert found == []


# ----- 8. protections are reported, and required isolation is enforced ---------------------------


def test_every_protection_is_in_place(judge):
    assert judge.missing_protections() == []
    assert set(judge.protections) == set(ALL_PROTECTIONS)


def test_partial_isolation_is_reported_and_refused_when_required(tmp_path, monkeypatch):
    # An honest partial machine: the judge looks for cgroup controllers where there are none, so its
    # workers really run without cgroup limits, and the protections they report must say so.
    monkeypatch.setattr(cgroups, "CGROUP_ROOT", tmp_path / "no-cgroup-controllers")

    def zygotes() -> int:
        return sum(1 for entry in os.listdir("/proc") if entry.isdigit() and _zygote_of_ours(entry))

    before = zygotes()
    monkeypatch.setenv("PLAYGROUND_REQUIRE_ISOLATION", "0")
    with Judge(pool_size=1, problems=[PROBLEM_ID]) as partial:
        assert partial.wait_until_ready(PROBLEM_ID, 120)
        assert partial.missing_protections() == ["cgroup_memory", "cgroup_pids", "cgroup_cpu"]
    monkeypatch.setenv("PLAYGROUND_REQUIRE_ISOLATION", "1")
    refusing = Judge(pool_size=1, problems=[PROBLEM_ID])
    with pytest.raises(IsolationError) as refused:
        refusing.start()
    assert "cgroup_memory" in str(refused.value) and "cgroup_pids" in str(refused.value)
    assert "network_namespace" not in str(refused.value)
    assert zygotes() == before, "a judge that refused (or closed) left its zygote running"


def _zygote_of_ours(pid: str) -> bool:
    try:
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        return parent == os.getpid() and b"playground.sandbox.zygote" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
