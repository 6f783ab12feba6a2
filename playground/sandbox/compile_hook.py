"""Watches the XLA compiles (and compile-cache reads) this process asks for; can stop at the first.

Every compile JAX does goes through `jax._src.compiler.compile_or_get_cached` (looked up on the
module at each call), so wrapping that one function sees them all, before any of them starts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playground.sandbox.protocol import HandBack

CACHE_HIT_EVENT = "/jax/compilation_cache/cache_hits"


class CompileWatch:
    """Counts compile requests, and which of them the persistent cache answered."""

    def __init__(self) -> None:
        self.requests = 0  # every executable XLA had to produce: compiled, or read from the cache
        self.cache_reads = 0  # of those, read from the persistent cache instead of compiled
        self._before: Callable[[], None] | None = None

    @property
    def compiles(self) -> int:
        """Executables compiled from scratch."""
        return self.requests - self.cache_reads

    def counts(self) -> dict[str, int]:
        """The counts as plain numbers for a frame."""
        return {"compiles": self.compiles, "cache_reads": self.cache_reads}

    def install(self, before_each: Callable[[], None] | None = None) -> None:
        """Start counting; `before_each` runs before any compile or cache read starts (it may exit)."""
        from jax._src import compiler, monitoring

        self._before = before_each
        original = compiler.compile_or_get_cached
        watch = self

        def watched(*args: Any, **kwargs: Any) -> Any:
            if watch._before is not None:
                watch._before()
            watch.requests += 1
            return original(*args, **kwargs)

        compiler.compile_or_get_cached = watched

        def on_event(event: str, **_kwargs: Any) -> None:
            if event == CACHE_HIT_EVENT:
                watch.cache_reads += 1

        monitoring.register_event_listener(on_event)


def hand_back(result_fd: int, reason: HandBack, exit_code: int = 0) -> None:
    """End this template-forked worker after a `needs_fresh_worker` frame: the judge reruns its job."""
    import os

    from playground.sandbox.protocol import Frame, write_frame

    try:
        write_frame(result_fd, {"type": Frame.NEEDS_FRESH_WORKER, "reason": reason})
    finally:
        os._exit(exit_code)


def stop_at_first_compile(result_fd: int, exit_code: int = 0) -> CompileWatch:
    """A watch that hands the job back (see hand_back) at this process's first compile.

    For a worker forked from a warmed template: XLA's compiler threads stayed in the template, so
    a compile (or a compile-cache read) in the child would hang; the judge reruns the code instead.
    """
    watch = CompileWatch()
    watch.install(before_each=lambda: hand_back(result_fd, HandBack.COMPILE, exit_code))
    return watch
