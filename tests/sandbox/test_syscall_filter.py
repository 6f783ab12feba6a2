"""The seccomp allowlist, in a real kernel: each removed group fails with EPERM, the rest works.

Every call here is made in a child that installed the filter first. The arguments are all -1
(or a lookup that creates nothing), so a call the filter wrongly let through fails on its
arguments instead of acting, and the test sees an errno other than EPERM.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from playground.sandbox import syscall_filter

ROOT = Path(__file__).resolve().parents[2]
# Calls Docker's profile refuses already (namespaces, mounts, BPF, keyrings, modules, ...): still refused.
OUTSIDE_DOCKER = (
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "bpf", "perf_event_open",
    "userfaultfd", "keyctl", "add_key", "request_key", "open_by_handle_at", "init_module",
    "finit_module", "delete_module", "kexec_load", "kexec_file_load", "swapon", "swapoff",
    "reboot", "sethostname", "setdomainname", "acct",
)  # fmt: skip
# Lookups that would create an object with other arguments: without IPC_CREAT they only look.
LOOKUP_ONLY = {"msgget": (-1, 0), "semget": (-1, 0, 0), "shmget": (-1, 0, 0)}

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="seccomp is Linux only")

CHILD = """
import ctypes, json, sys
import pyseccomp
from playground.sandbox import syscall_filter
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(38, 1, 0, 0, 0) == 0  # no_new_privs, as the worker sets it
if not syscall_filter.install():
    print(json.dumps({"installed": False}))
    sys.exit(0)
outcome = {"installed": True}
for name, args in json.loads(sys.argv[1]).items():
    number = pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, name)
    if number < 0:
        continue  # not on this architecture
    ctypes.set_errno(0)
    result = libc.syscall(number, *[ctypes.c_long(a) for a in args])
    outcome[name] = ctypes.get_errno() if result == -1 else "allowed"
print(json.dumps(outcome))
"""


def calls_under_filter(names: list[str]) -> dict:
    calls = {name: LOOKUP_ONLY.get(name, (-1,) * 6) for name in names}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(calls)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome.pop("installed"), "the filter did not install (is libseccomp2 installed?)"
    return outcome


@pytest.mark.parametrize("group", sorted(syscall_filter.REMOVED))
def test_each_removed_group_is_refused_with_eperm(group):
    names = list(syscall_filter.REMOVED[group])
    outcome = calls_under_filter(names)
    assert outcome, f"none of {names} exists on this architecture"
    assert outcome == {name: errno.EPERM for name in outcome}, outcome


def test_what_dockers_profile_refuses_stays_refused():
    outcome = calls_under_filter(list(OUTSIDE_DOCKER))
    assert outcome == {name: errno.EPERM for name in outcome}, outcome


def test_removed_groups_are_docker_names_and_the_rest_stays_allowed():
    removed = {name for group in syscall_filter.REMOVED.values() for name in group}
    assert removed <= set(syscall_filter.DOCKER_DEFAULT)
    allowed = set(syscall_filter.allowed_names())
    assert not allowed & removed
    assert {"read", "write", "mmap", "futex", "openat", "getrandom", "sched_getaffinity"} <= allowed


LIBRARIES = """
import ctypes, errno, json, os
from playground.sandbox import syscall_filter
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(38, 1, 0, 0, 0) == 0
assert syscall_filter.install()
import jax, jax.numpy as jnp, optax
from flax import nnx

model = nnx.Linear(3, 2, rngs=nnx.Rngs(0))
optimizer = nnx.Optimizer(model, optax.adam(1e-2), wrt=nnx.Param)

@nnx.jit
def step(model, optimizer, x):
    loss, grads = nnx.value_and_grad(lambda m: (m(x) ** 2).mean())(model)
    optimizer.update(model, grads)
    return loss

losses = [float(step(model, optimizer, jnp.ones((4, 3)))) for _ in range(3)]
pid = os.fork()  # a child process, as learner code may start
if pid == 0:
    os._exit(7)
_, status = os.waitpid(pid, 0)
new_user_namespace = libc.syscall(56, 0x10000000 | 17, 0, 0, 0, 0)  # clone(CLONE_NEWUSER | SIGCHLD)
print(json.dumps({
    "losses": losses,
    "child": os.waitstatus_to_exitcode(status),
    "clone_newuser": ctypes.get_errno() if new_user_namespace == -1 else "allowed",
}))
"""


def test_jax_flax_and_optax_train_under_the_filter():
    if os.uname().machine != "x86_64":
        pytest.skip("the clone number below is x86_64's")
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(LIBRARIES)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "JAX_PLATFORMS": "cpu"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["losses"][-1] < seen["losses"][0], seen
    assert seen["child"] == 7
    assert seen["clone_newuser"] == errno.EPERM


def test_the_program_is_built_with_libseccomp():
    assert syscall_filter.program_size() > 100
    assert ctypes.util.find_library("seccomp")
