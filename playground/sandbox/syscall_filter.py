"""The worker's seccomp filter: an allowlist of system calls, built with libseccomp.

It starts from Docker's default profile for a container without added capabilities (the
64-bit names; what that profile grants only with a capability stays out) and removes the
groups in REMOVED, which learner code never needs and which only widen what the kernel
exposes to it. Everything not allowed fails with EPERM, as in Docker's profile.

The program is built once, when the zygote imports this module, and each worker only loads it,
last among its isolation steps.
"""

from __future__ import annotations

import ctypes
import errno
import tempfile

PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
AF_VSOCK = 40
# clone's flags that make namespaces: CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET.
NAMESPACE_FLAGS = 0x7E020000
# personality values Docker allows: the Linux default, UNAME26, ADDR_NO_RANDOMIZE and both, and a query.
PERSONALITIES = (0x0, 0x8, 0x20000, 0x20008, 0xFFFFFFFF)

DOCKER_DEFAULT = """
accept accept4 access adjtimex alarm bind brk capget capset chdir chmod chown clock_adjtime
clock_getres clock_gettime clock_nanosleep close close_range connect copy_file_range creat dup
dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait
epoll_wait_old eventfd eventfd2 execve execveat exit exit_group faccessat faccessat2 fadvise64
fallocate fanotify_mark fchdir fchmod fchmodat fchown fchownat fcntl fdatasync fgetxattr
flistxattr flock fork fremovexattr fsetxattr fstat fstatfs fsync ftruncate futex futex_waitv
futimesat getcpu getcwd getdents getdents64 getegid geteuid getgid getgroups getitimer
getpeername getpgid getpgrp getpid getppid getpriority getrandom getresgid getresuid getrlimit
get_robust_list getrusage getsid getsockname getsockopt get_thread_area gettid gettimeofday
getuid getxattr inotify_add_watch inotify_init inotify_init1 inotify_rm_watch io_cancel ioctl
io_destroy io_getevents io_pgetevents ioprio_get ioprio_set io_setup io_submit io_uring_enter
io_uring_register io_uring_setup kill landlock_add_rule landlock_create_ruleset
landlock_restrict_self lchown lgetxattr link linkat listen listxattr llistxattr lremovexattr
lseek lsetxattr lstat madvise membarrier memfd_create memfd_secret mincore mkdir mkdirat mknod
mknodat mlock mlock2 mlockall mmap mprotect mq_getsetattr mq_notify mq_open mq_timedreceive
mq_timedsend mq_unlink mremap msgctl msgget msgrcv msgsnd msync munlock munlockall munmap
name_to_handle_at nanosleep newfstatat open openat openat2 pause pidfd_open pidfd_send_signal
pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll prctl pread64 preadv preadv2 prlimit64
process_mrelease pselect6 pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv
recvfrom recvmmsg recvmsg remap_file_pages removexattr rename renameat renameat2
restart_syscall rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo
rt_sigreturn rt_sigsuspend rt_sigtimedwait rt_tgsigqueueinfo sched_getaffinity sched_getattr
sched_getparam sched_get_priority_max sched_get_priority_min sched_getscheduler
sched_rr_get_interval sched_setaffinity sched_setattr sched_setparam sched_setscheduler
sched_yield seccomp select semctl semget semop semtimedop sendfile sendmmsg sendmsg sendto
setfsgid setfsuid setgid setgroups setitimer setpgid setpriority setregid setresgid setresuid
setreuid setrlimit set_robust_list setsid setsockopt set_thread_area set_tid_address setuid
setxattr shmat shmctl shmdt shmget shutdown sigaltstack signalfd signalfd4 socketpair splice
stat statfs statx symlink symlinkat sync sync_file_range syncfs sysinfo tee tgkill time
timer_create timer_delete timer_getoverrun timer_gettime timer_settime timerfd_create
timerfd_gettime timerfd_settime times tkill truncate umask uname unlink unlinkat utime utimensat
utimes vfork vmsplice wait4 waitid write writev
ptrace process_vm_readv process_vm_writev
arch_prctl modify_ldt
""".split()  # the last two lines: Docker allows them on Linux 4.8 and later, and on x86 only

# What learner code never needs, taken out of Docker's list (each group is checked by a test).
REMOVED = {
    # Reading or steering other processes: the worker's own keeper is in reach otherwise.
    "tracing": ("ptrace", "process_vm_readv", "process_vm_writev"),
    # io_uring and Linux AIO: large, often-patched kernel interfaces; Python never uses them.
    "async_io": (
        "io_uring_setup", "io_uring_enter", "io_uring_register",
        "io_setup", "io_submit", "io_getevents", "io_pgetevents", "io_cancel", "io_destroy",
    ),
    # Opening files by handle bypasses path checks; its pair open_by_handle_at is out of Docker's list.
    "file_handles": ("name_to_handle_at",),
    # System V IPC and POSIX message queues: kernel objects that can outlive the process.
    "ipc_objects": (
        "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semctl",
        "shmget", "shmat", "shmdt", "shmctl",
        "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr",
    ),
    # Changing uid, gid or capabilities: the worker already dropped them and never needs them back.
    "identity": (
        "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
        "setgroups", "setfsuid", "setfsgid", "capset",
    ),
    # Tuning the system clock (even only reading its tuning): nothing a model needs.
    "clock_tuning": ("adjtimex", "clock_adjtime"),
    # Watching files for changes: nothing to watch in a private, read-only root.
    "file_watches": ("inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "fanotify_mark"),
    # 16-bit segments on x86: old code only, and a history of kernel bugs.
    "segments": ("modify_ldt",),
    # Handles to other processes, and freeing a dying process's memory.
    "process_handles": ("pidfd_open", "pidfd_send_signal", "process_mrelease"),
    # Memory hidden from the kernel's own view (secretmem), and Landlock rulesets.
    "secret_memory_and_landlock": (
        "memfd_secret", "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",
    ),
}  # fmt: skip


def allowed_names() -> list[str]:
    """Docker's list less every removed group."""
    removed = {name for group in REMOVED.values() for name in group}
    return [name for name in DOCKER_DEFAULT if name not in removed]


def build_program() -> bytes | None:
    """The BPF program for this machine (None without libseccomp or for an architecture it lacks)."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError):
        return None
    refuse = seccomp.ERRNO(errno.EPERM)
    rules = seccomp.SyscallFilter(refuse)
    rules.set_attr(seccomp.Attr.ACT_BADARCH, seccomp.KILL_PROCESS)  # another ABI: never legitimate
    rules.set_attr(seccomp.Attr.CTL_OPTIMIZE, 2)  # a binary tree: a few checks per call, not hundreds
    for name in allowed_names():
        if seccomp.resolve_syscall(seccomp.Arch.NATIVE, name) >= 0:  # not every name exists everywhere
            rules.add_rule(seccomp.ALLOW, name)
    rules.add_rule(seccomp.ALLOW, "socket", seccomp.Arg(0, seccomp.NE, AF_VSOCK))
    for value in PERSONALITIES:
        rules.add_rule(seccomp.ALLOW, "personality", seccomp.Arg(0, seccomp.EQ, value))
    # A new process or thread, but no new namespace.
    rules.add_rule(seccomp.ALLOW, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, NAMESPACE_FLAGS, 0))
    # clone3 passes its flags in memory a filter cannot read: say it does not exist, and libc
    # falls back to clone, whose flags are checked above.
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    with tempfile.TemporaryFile() as out:
        rules.export_bpf(out)
        out.seek(0)
        return out.read()


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


_PROGRAM = build_program()


def install() -> bool:
    """Install the filter on this thread (and every thread it starts later); True when it took.

    Needs no_new_privs already set. Threads that exist already keep running unfiltered, so the
    worker installs it before JAX starts any.
    """
    if not _PROGRAM:
        return False
    buffer = ctypes.create_string_buffer(_PROGRAM, len(_PROGRAM))
    fprog = _SockFprog(len(_PROGRAM) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0


def program_size() -> int:
    """Instructions in the program (0 when there is none): for tests and the curious."""
    return len(_PROGRAM or b"") // 8
