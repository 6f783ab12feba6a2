"""A warm template: a trusted process per problem that has started JAX and run the warm-up once.

The zygote forks it (request kind "template"), and from then on it answers the same spawn
requests as the zygote: each worker it forks goes through the very same keeper and isolation
steps (cgroups, namespaces, private root, uid, no_new_privs, limits, seccomp last), but skips the
warm-up: every op the warm-up ran is already compiled in the memory it inherits. The template
itself never runs learner code and never receives a test's values (shapes only).

JAX is started with asynchronous CPU dispatch off, so running a compiled op in a forked child
mostly stays on the calling thread; threads do not survive a fork. Two things still need the
template's threads, and a child hands its job back to the judge, which reruns it on a fresh
worker from the zygote, when either happens: a compile (compile_hook.stop_at_first_compile) and
an op XLA spreads over its thread pool (stall_watch). A template whose own warm-up does either in
a forked child (`probe`) is not used at all.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
import operator
import os
import select
import signal
import socket
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import jax
import jax.numpy as jnp

from playground.sandbox.compile_hook import hand_back, stop_at_first_compile
from playground.sandbox.jax_cache import use_jax_cache
from playground.sandbox.protocol import Frame, HandBack, ProtocolError, Request, read_frame_blocking, write_frame
from playground.sandbox.stall_watch import StallWatch

log = logging.getLogger(__name__)  # lines start with 'sandbox:'; unconfigured, warnings reach stderr

PROBE_TIMEOUT_S = 60.0
# Common ways a learner's answer differs from the right one by a whole-array edit.
ANSWER_EDITS: tuple[Callable[[Any], Any], ...] = (
    lambda a: a + 1.0,
    lambda a: 1.0 + a,
    lambda a: a - 1.0,
    lambda a: a * 2.0,
    lambda a: 2.0 * a,
    lambda a: a / 2.0,
    lambda a: -a,
    lambda a: a**2,
    lambda a: abs(a),
    lambda a: a.T,
    lambda a: a.sum(),
    lambda a: a.mean(),
    lambda a: jax.nn.relu(a),
    lambda a: jax.nn.sigmoid(a),
    lambda a: jax.nn.softmax(a),
    lambda a: jnp.tanh(a),
    lambda a: jnp.exp(a),
)
# The ways learners write a constant: Python numbers, and 0-d arrays weakly or strongly typed (from
# jnp.sqrt(n), jnp.asarray(1.0), jnp.float32(n)...). Each pairing with an array is its own executable.
def _scalar_forms() -> tuple[Any, ...]:
    return (3, 3.0, jnp.asarray(3), jnp.asarray(3.0), jnp.float32(3.0))


def _array_scalar_forms() -> tuple[Any, ...]:
    # A weakly typed 0-d float array (jnp.asarray(3.0), jnp.sqrt(n)) compiles as a Python float does.
    return (3, 3.0, jnp.float32(3.0))


SCALAR_BINARY: tuple[Callable[[Any, Any], Any], ...] = (
    operator.add,
    operator.sub,
    operator.mul,
    operator.truediv,
    operator.pow,
)
SCALAR_UNARY: tuple[Callable[[Any], Any], ...] = (
    jnp.sqrt,
    jax.lax.rsqrt,
    jnp.reciprocal,
    jnp.square,
    jnp.exp,
    jnp.log,
    operator.neg,
    jnp.float32,
)
# Array-by-constant edits of every array the warm-up made (its parameters, inputs and answers):
# `kernel * (1.0 / jnp.sqrt(n))`, `x / jnp.float32(2)`, `y + 1`...
ARRAY_BY_SCALAR: tuple[Callable[[Any, Any], Any], ...] = (operator.mul, operator.truediv, operator.add, operator.sub)
SCALAR_BY_ARRAY: tuple[Callable[[Any, Any], Any], ...] = (operator.mul, operator.truediv)
# The ways learners write a product the warm-up wrote with one of them: each is its own executable.
CONTRACTION_FORMS: tuple[Callable[[Any, Any], Any], ...] = (
    operator.matmul,
    jnp.matmul,
    jnp.dot,
    lambda a, b: jnp.einsum(_einsum_spec(a.ndim, b.ndim), a, b),
    lambda a, b: jnp.tensordot(a, b, axes=1),
)
# The ways learners turn an array they already have into "an array": each copy is an executable.
ARRAY_CONVERSIONS: tuple[Callable[[Any], Any], ...] = (
    jnp.array,
    lambda a: jnp.array(a, dtype=jnp.float32),
    lambda a: jnp.asarray(a, dtype=jnp.float32),
    jnp.copy,
    lambda a: a.astype(jnp.float32),
    lambda a: a.ravel(),
    lambda a: a.flatten(),
)
ANSWER_TIMEOUT_S = 30.0  # a template that does not answer a spawn request this long is dropped
WARM_NICENESS = 15  # a template warms at this priority (0 is the usual; 19 the lowest)
WARMING_AT_ONCE = 1  # templates warming at the same time: each compiles hundreds of ops on a core


def warm_template(module: Any, warm_inputs: list[dict[str, Any]], cache_dir: str | None) -> Iterator[Callable[[], None]]:
    """Start JAX for forking and run the warm-up and every spelling it knows, on each warm input.

    Returns the rest of the warming as small steps (the arithmetic of constants, the array family and
    the products), for the caller to run with `run_all` before the template forks any worker.
    """
    # Before the backend starts: with it off, executing a compiled op stays on the calling thread.
    jax.config.update("jax_cpu_enable_async_dispatch", False)
    lower_on_calling_thread()
    use_jax_cache(cache_dir, writable=True)  # trusted code: it may read and fill the shared cache
    # JAX warns at every fork of a process whose backend is up; forking is this process's purpose.
    warnings.filterwarnings("ignore", message=r"os\.fork\(\) was called", category=RuntimeWarning)
    with _recording_variables() as made, _recording_contractions() as contractions:
        answers = [_warm_answer(module.warm, inputs) for inputs in warm_inputs]
    _run_on_each(getattr(module, "warm_spellings", None), warm_inputs)
    warm_answer_edits(answers)
    family = [*answers, *made, *_input_arrays(warm_inputs)]
    return itertools.chain(scalar_arithmetic_steps(), array_family_steps(family), contraction_steps(contractions))


def lower_on_calling_thread() -> None:
    """Make every MLIR context JAX creates from now on verify and rewrite on the calling thread.

    JAX shares one MLIR thread pool between its contexts. Its threads stay in the template at a
    fork, and MLIR's verifier waits for them while holding the GIL, so a forked worker that lowers a
    new op would hang where no Python thread can notice. Single-threaded, the lowering finishes and
    the compile that follows is caught by compile_hook before it starts.
    """
    from jax._src.interpreters import mlir

    make_context = mlir.make_ir_context
    if getattr(make_context, "single_threaded", False):
        return

    def make_single_threaded_context() -> Any:
        context = make_context()
        context.enable_multithreading(False)
        return context

    make_single_threaded_context.single_threaded = True  # type: ignore[attr-defined]
    mlir.make_ir_context = make_single_threaded_context


def _warm_answer(warm: Callable[[dict[str, Any]], Any], inputs: dict[str, Any]) -> Any:
    try:
        return warm(inputs)
    except Exception:  # noqa: BLE001 - warming is an optimisation only
        return None


def warm_answer_edits(answers: list[Any]) -> None:
    """Run each of ANSWER_EDITS on each distinct float array shape among the answers.

    Wrong answers are often the right one shifted, scaled, negated or passed through an activation
    (the near-miss hints name these), and each such op is a compile a forked worker cannot do.
    """
    seen = set()
    for leaf in jax.tree_util.tree_leaves(answers):
        if not isinstance(leaf, jax.Array) or not jnp.issubdtype(leaf.dtype, jnp.floating):
            continue
        if (leaf.shape, leaf.dtype) in seen:
            continue
        seen.add((leaf.shape, leaf.dtype))
        for edit in ANSWER_EDITS:
            try:
                jax.block_until_ready(edit(leaf))
            except Exception:  # noqa: BLE001 - an edit that does not fit this shape is skipped
                pass


def scalar_arithmetic_steps() -> Iterator[Callable[[], None]]:
    """Steps that compile arithmetic between every pair of constant forms, and the usual functions of each.

    Shape-free, so they cover by construction how a statement's constant can be written
    (`1.0 / jnp.sqrt(n)`, `n ** -0.5`, `jnp.sqrt(float(n))`...), whatever the problem.
    """
    forms = _scalar_forms()
    for left in forms:
        for right in forms:
            if isinstance(left, (int, float)) and isinstance(right, (int, float)):
                continue  # plain Python arithmetic: no XLA
            for op in SCALAR_BINARY:
                yield functools.partial(_try, op, left, right)
        for op in SCALAR_UNARY:
            yield functools.partial(_try, op, left)


def array_family_steps(values: list[Any]) -> Iterator[Callable[[], None]]:
    """Steps that compile each array-by-constant edit and each conversion on each distinct float array shape."""
    seen = set()
    for leaf in jax.tree_util.tree_leaves(values):
        if not isinstance(leaf, jax.Array) or not jnp.issubdtype(leaf.dtype, jnp.floating) or leaf.ndim == 0:
            continue
        if (leaf.shape, leaf.dtype) in seen:
            continue
        seen.add((leaf.shape, leaf.dtype))
        for scalar in _array_scalar_forms():
            for op in ARRAY_BY_SCALAR:
                yield functools.partial(_try, op, leaf, scalar)
            for op in SCALAR_BY_ARRAY:
                yield functools.partial(_try, op, scalar, leaf)
        for convert in ARRAY_CONVERSIONS:
            yield functools.partial(_try, convert, leaf)


def contraction_steps(contractions: list[tuple[Any, Any]]) -> Iterator[Callable[[], None]]:
    """Steps that compile every usual spelling of each product the warm-up computed, on its operands' shapes.

    `q @ k.T`, `jnp.dot(q, k.T)`, `jnp.matmul`, `einsum` and `tensordot` are the same product but
    not the same executable.
    """
    for left, right in dict.fromkeys(contractions):
        a, b = jnp.zeros(left[0], left[1]), jnp.zeros(right[0], right[1])
        for form in CONTRACTION_FORMS:
            yield functools.partial(_try, form, a, b)


def run_all(steps: Iterator[Callable[[], None]]) -> None:
    """Run every step of a warm-up, in order."""
    for step in steps:
        step()


def _einsum_spec(left_rank: int, right_rank: int) -> str:
    """The einsum string of a plain product of arrays of these ranks (one, or two dimensions each)."""
    left = "ij"[2 - left_rank :] if left_rank <= 2 else ""
    right = "jk"[: right_rank] if right_rank <= 2 else ""
    if not left or not right:
        return "..."  # not a plain product: the form is skipped
    out = left.replace("j", "") + right.replace("j", "")
    return f"{left},{right}->{out}"


def _try(op: Callable[..., Any], *args: Any) -> None:
    try:
        jax.block_until_ready(op(*args))
    except Exception:  # noqa: BLE001 - a form that does not apply (log of an int...) is skipped
        pass


def _input_arrays(warm_inputs: list[dict[str, Any]]) -> list[Any]:
    """The warm inputs' lists as float32 arrays: the shapes a learner's code receives."""
    arrays = []
    for inputs in warm_inputs:
        for value in inputs.values():
            if isinstance(value, list):
                try:
                    arrays.append(jnp.asarray(value, dtype=jnp.float32))
                except (TypeError, ValueError):
                    pass
    return arrays


class _recording_variables:  # noqa: N801 - used as a context manager
    """Collects the value of every nnx Variable created inside the block (the parameters' shapes)."""

    def __enter__(self) -> list[Any]:
        from flax.nnx import variablelib

        self._meta = variablelib.VariableMeta
        self._original = self._meta.__call__
        made: list[Any] = []
        original = self._original

        def recording_call(cls: Any, *args: Any, **kwargs: Any) -> Any:
            instance = original(cls, *args, **kwargs)
            try:
                made.append(instance.get_value())
            except Exception:  # noqa: BLE001 - only arrays matter here
                pass
            return instance

        self._meta.__call__ = recording_call
        return made

    def __exit__(self, *exc_info: Any) -> None:
        self._meta.__call__ = self._original


class _recording_contractions:  # noqa: N801 - used as a context manager
    """Collects the operand shapes and dtypes of every dot_general bound inside the block."""

    def __enter__(self) -> list[tuple[Any, Any]]:
        from jax._src.lax import lax

        self._primitive = lax.dot_general_p
        seen: list[tuple[Any, Any]] = []
        bind = self._primitive.bind

        def recording_bind(*args: Any, **params: Any) -> Any:
            avals = [getattr(arg, "aval", None) for arg in args[:2]]
            if all(hasattr(aval, "shape") for aval in avals):
                seen.append(tuple((tuple(aval.shape), aval.dtype) for aval in avals))
            return bind(*args, **params)

        self._primitive.bind = recording_bind
        return seen

    def __exit__(self, *exc_info: Any) -> None:
        del self._primitive.bind  # the class's own method again


def _run_on_each(step: Callable[[dict[str, Any]], None] | None, warm_inputs: list[dict[str, Any]]) -> None:
    for inputs in warm_inputs:
        try:
            if step is not None:
                step(inputs)
        except Exception:  # noqa: BLE001 - warming is an optimisation only
            pass


def probe(module: Any, warm_inputs: list[dict[str, Any]], timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """Run `warm` again in a forked child, as a worker would; why it could not, or None.

    Called in a warmed template before it serves: when the typical answer's own ops need a compile
    or stall in a forked child (see stall_watch), so would nearly every submission, and the template
    is not worth it. A rarer spelling that stalls (nnx.Linear's initialiser on a 64x64 kernel
    does) only sends that one submission to a fresh worker.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            stop_at_first_compile(write_end)
            stall = StallWatch(lambda: hand_back(write_end, HandBack.STALL)).start()
            with stall.armed():
                _run_on_each(module.warm, warm_inputs)
            write_frame(write_end, {"type": Frame.PROBE_OK})
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        if not select.select([read_end], [], [], timeout)[0]:
            return f"its warm-up gave no answer in a forked child within {timeout:.0f} s"
        frame = read_frame_blocking(read_end)
        if frame.get("type") == Frame.PROBE_OK:
            return None
        return f"its warm-up needs a fresh worker when forked ({frame.get('reason', 'no reason given')})"
    except (OSError, ProtocolError) as exc:
        return f"its forked warm-up ended without an answer ({exc})"
    finally:
        os.close(read_end)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)


@dataclass
class Template:
    """The judge's end of one warm template."""

    key: str
    pid: int
    sock: socket.socket
    generation: int  # the zygote that forked it; it dies with that zygote
    lock: threading.Lock = field(default_factory=threading.Lock)


class Templates:
    """The judge's warm templates, one per problem, started through the zygote and asked like it."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._templates: dict[str, Template] = {}
        self._starting: set[str] = set()
        self.unfit: dict[str, str] = {}  # problems whose template's workers could not run: why
        self._lock = threading.Lock()
        self._warming = threading.Semaphore(WARMING_AT_ONCE)

    def start(self, key: str, request: dict[str, Any], ask_zygote: Callable[..., tuple[int, int]], timeout: float) -> None:
        """Ask the zygote for a template and wait (up to timeout) until it is warm; failures only log."""
        with self._lock:
            if not self.enabled or key in self._starting or key in self._templates:
                return
            self._starting.add(key)
        with self._warming:
            if self.enabled:  # still: the judge may have closed while this start waited its turn
                self._start_one(key, request, ask_zygote, timeout)
                return
        with self._lock:
            self._starting.discard(key)

    def _start_one(self, key: str, request: dict[str, Any], ask_zygote: Callable[..., tuple[int, int]], timeout: float) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            pid, generation = ask_zygote(dict(request, kind=Request.TEMPLATE), [theirs.fileno()])
            theirs.close()
            ours.settimeout(timeout)
            reply = json.loads(ours.recv(4096) or b"{}")
            if reply.get("ready") is not True:
                if reply.get("unfit"):
                    with self._lock:
                        self.unfit[key] = str(reply["unfit"])
                raise RuntimeError(reply.get("unfit") or "the template ended while warming")
        except (OSError, RuntimeError, ValueError) as exc:
            theirs.close()
            ours.close()
            log.warning(f"sandbox: no warm template for {key}: {exc}")
            with self._lock:
                self._starting.discard(key)
            return
        with self._lock:
            self._starting.discard(key)
            self._templates[key] = Template(key, pid, ours, generation)

    def wanted(self, key: str, generation: int) -> bool:
        """True when this problem has no usable template and none is starting."""
        with self._lock:
            template = self._templates.get(key)
            if template is not None and template.generation != generation:
                self._drop(template)
                template = None
            return self.enabled and template is None and key not in self._starting and key not in self.unfit

    def ready(self, key: str, generation: int) -> Template | None:
        """The problem's template when it is warm and belongs to the live zygote."""
        with self._lock:
            template = self._templates.get(key)
            return template if template is not None and template.generation == generation else None

    def ask(self, template: Template, request: dict[str, Any], fds: list[int]) -> int:
        """Send a spawn request to the template; the keeper's pid. A template that fails is dropped."""
        with template.lock:
            try:
                template.sock.settimeout(ANSWER_TIMEOUT_S)
                socket.send_fds(template.sock, [json.dumps(request).encode()], fds)
                reply = template.sock.recv(4096)
                pid = json.loads(reply or b"{}").get("pid")
            except (OSError, ValueError):
                pid = None
        if not isinstance(pid, int):
            with self._lock:
                self._drop(template)
            raise RuntimeError(f"the warm template for {template.key} could not start a worker")
        return pid

    def _drop(self, template: Template) -> None:
        if self._templates.get(template.key) is template:
            del self._templates[template.key]
        template.sock.close()  # its serve loop ends, stopping its keepers, and it exits

    def close(self) -> None:
        """Close every template's socket: each then stops its workers and exits."""
        with self._lock:
            self.enabled = False
            for template in list(self._templates.values()):
                self._drop(template)
