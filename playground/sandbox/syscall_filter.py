"""A seccomp filter that refuses the system calls a learner's code never needs.

Namespaces, mounts, tracing, kernel keyrings, BPF, io_uring and module loading only widen what
the kernel exposes to untrusted code, so they fail with EPERM; everything else is allowed.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct

PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_KILL_PROCESS = 0x80000000

BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_JGE_K = 0x35
BPF_JSET_K = 0x45
BPF_RET_K = 0x06

OFFSET_NR, OFFSET_ARCH, OFFSET_ARG0 = 0, 4, 16
X32_SYSCALL_BIT = 0x40000000
NAMESPACE_FLAGS = 0x7E020000  # CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET

# name: (x86_64 number, aarch64 number)
REFUSED = {
    "unshare": (272, 97),
    "setns": (308, 268),
    "mount": (165, 40),
    "umount2": (166, 39),
    "pivot_root": (155, 41),
    "chroot": (161, 51),
    "open_tree": (428, 428),
    "move_mount": (429, 429),
    "fsopen": (430, 430),
    "fsconfig": (431, 431),
    "fsmount": (432, 432),
    "fspick": (433, 433),
    "mount_setattr": (442, 442),
    "ptrace": (101, 117),
    "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271),
    "bpf": (321, 280),
    "perf_event_open": (298, 241),
    "userfaultfd": (323, 282),
    "io_uring_setup": (425, 425),
    "io_uring_enter": (426, 426),
    "io_uring_register": (427, 427),
    "keyctl": (250, 219),
    "add_key": (248, 217),
    "request_key": (249, 218),
    "open_by_handle_at": (304, 265),
    "name_to_handle_at": (303, 264),
    "init_module": (175, 105),
    "finit_module": (313, 273),
    "delete_module": (176, 106),
    "kexec_load": (246, 104),
    "kexec_file_load": (320, 294),
    "swapon": (167, 224),
    "swapoff": (168, 225),
    "reboot": (169, 142),
    "sethostname": (170, 161),
    "setdomainname": (171, 162),
    "acct": (163, 89),
}
CLONE = (56, 220)
CLONE3 = (435, 435)
ARCHES = {"x86_64": (0, 0xC000003E), "aarch64": (1, 0xC00000B7)}


def _instruction(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def build_program(machine: str) -> bytes:
    """The BPF program for this machine's architecture (ValueError when it is not known)."""
    if machine not in ARCHES:
        raise ValueError(f"no syscall table for {machine}")
    column, audit_arch = ARCHES[machine]
    refuse = SECCOMP_RET_ERRNO | errno.EPERM
    program = [
        _instruction(BPF_LD_W_ABS, 0, 0, OFFSET_ARCH),
        _instruction(BPF_JEQ_K, 1, 0, audit_arch),
        _instruction(BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS),  # another ABI: never legitimate
        _instruction(BPF_LD_W_ABS, 0, 0, OFFSET_NR),
    ]
    if machine == "x86_64":
        program += [_instruction(BPF_JGE_K, 0, 1, X32_SYSCALL_BIT), _instruction(BPF_RET_K, 0, 0, refuse)]
    for numbers in REFUSED.values():
        program += [_instruction(BPF_JEQ_K, 0, 1, numbers[column]), _instruction(BPF_RET_K, 0, 0, refuse)]
    # clone3 passes its flags in memory a filter cannot read: say it does not exist, and libc
    # falls back to clone, whose flags are checked below.
    program += [
        _instruction(BPF_JEQ_K, 0, 1, CLONE3[column]),
        _instruction(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno.ENOSYS),
        _instruction(BPF_JEQ_K, 0, 3, CLONE[column]),
        _instruction(BPF_LD_W_ABS, 0, 0, OFFSET_ARG0),
        _instruction(BPF_JSET_K, 0, 1, NAMESPACE_FLAGS),
        _instruction(BPF_RET_K, 0, 0, refuse),
        _instruction(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]
    return b"".join(program)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install() -> bool:
    """Install the filter on this thread (and every thread it starts later); True when it took.

    Needs no_new_privs already set. Threads that exist already keep running unfiltered, so the
    worker installs it before JAX starts any.
    """
    try:
        program = build_program(platform.machine())
    except ValueError:
        return False
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0
