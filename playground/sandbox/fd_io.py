"""Reading and writing a worker's pipes without ever blocking past a deadline."""

from __future__ import annotations

import os
import select
import time
from typing import Any

from playground.sandbox.protocol import FrameReader


def read_some(fd: int) -> bytes:
    try:
        return os.read(fd, 1 << 16)
    except OSError:
        return b""


def drain(fd: int, budget: int = 1 << 20) -> bytes:
    """Whatever a pipe holds right now, without blocking."""
    chunks = []
    total = 0
    while total < budget:
        ready, _, _ = select.select([fd], [], [], 0)
        if not ready:
            break
        chunk = read_some(fd)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def write_all(fd: int, data: bytes, deadline: float) -> None:
    view = memoryview(data)
    while view:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("worker did not read its job")
        _, writable, _ = select.select([], [fd], [], remaining)
        if writable:
            try:
                view = view[os.write(fd, view[: 1 << 16]) :]
            except BlockingIOError:
                continue


def read_one_frame(fd: int, reader: FrameReader, timeout: float) -> dict[str, Any] | None:
    if reader.backlog:
        return reader.backlog.pop(0)
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return None
        data = read_some(fd)
        if not data:
            return None
        frames = reader.feed(data)
        if frames:
            reader.backlog.extend(frames[1:])
            return frames[0]
