"""Length-prefixed JSON frames between the judge and a sandboxed worker, size-checked first."""

from __future__ import annotations

import enum
import json
import os
import struct
from typing import Any, NamedTuple

HEADER = struct.Struct(">I")
MAX_FRAME_BYTES = 8 * 1024 * 1024


class Frame(enum.StrEnum):
    """The `type` of every frame that crosses between the judge, the zygote, a keeper and a worker."""

    READY = "ready"  # worker -> judge: isolated and warm, with the protections it got
    SETUP_ERROR = "setup_error"  # worker -> judge: isolating or warming failed
    STARTED = "started"  # keeper -> judge: the worker's pid
    EXITED = "exited"  # keeper -> judge: the worker's exit status
    FILLED = "filled"  # cache filler -> judge: the compile cache holds the warm-up's ops
    JOB = "job"  # judge -> worker: the source, entry point and visible cases
    CASES = "cases"  # judge -> worker: the hidden cases, once the visible results are in
    RESULTS = "results"  # worker -> judge: one result per case
    LOAD_ERROR = "load_error"  # worker -> judge: the source did not load
    NEEDS_FRESH_WORKER = "needs_fresh_worker"  # template's worker -> judge: run this job elsewhere
    PROBE_OK = "ok"  # a template's forked probe -> the template: the warm-up ran


class Request(enum.StrEnum):
    """What the judge asks a zygote (or a warm template) for, on its socket."""

    SPAWN = "spawn"  # a keeper and a sandboxed worker
    STANDBY = "standby"  # an idle copy of the zygote
    TEMPLATE = "template"  # a warm template for one problem
    FILL_CACHE = "fill_cache"  # a trusted child that fills the compile cache


class LoadFailure(enum.StrEnum):
    """Why a worker could not load the learner's source (`kind` of a load_error frame)."""

    SYNTAX = "syntax"
    RUNTIME = "runtime"
    MISSING = "missing"
    NOT_CALLABLE = "not_callable"
    SIGNATURE = "signature"


class HandBack(enum.StrEnum):
    """Why a template's worker's job was run again on a fresh worker."""

    COMPILE = "compile"  # the worker said it was about to compile
    STALL = "stall"  # the worker's own watch saw its main thread get no CPU
    CLAIMED = "claimed"  # the worker asked, giving no reason we know
    STALLED = "stalled"  # the judge saw the worker's main thread get no CPU
    TIME_LIMIT = "time_limit"  # it ran out of time while mostly waiting


class WorkerFds(NamedTuple):
    """A worker's descriptors, in the order the zygote is handed them with a spawn request."""

    job: int  # the worker reads jobs (its fd 0)
    output: int  # what the learner's code prints (its fds 1 and 2)
    results: int  # the worker's frames (its fd 3)
    status: int  # the keeper's started and exited frames


JOB_FD = 0
RESULT_FD = 3


class ProtocolError(Exception):
    """A frame was oversized, malformed or cut short."""


def encode_frame(message: dict[str, Any]) -> bytes:
    """One message as header plus JSON bytes."""
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    if len(body) > MAX_FRAME_BYTES:
        raise ProtocolError(f"frame of {len(body)} bytes is over the {MAX_FRAME_BYTES} byte limit")
    return HEADER.pack(len(body)) + body


def write_frame(fd: int, message: dict[str, Any]) -> None:
    """Write one whole frame to a file descriptor."""
    view = memoryview(encode_frame(message))
    while view:
        written = os.write(fd, view)
        view = view[written:]


class FrameReader:
    """Collects bytes from a stream and hands back whole frames, checking sizes before parsing."""

    def __init__(self, max_frame: int = MAX_FRAME_BYTES) -> None:
        self._buffer = bytearray()
        self._max_frame = max_frame
        self.backlog: list[dict[str, Any]] = []  # frames read but not yet taken by a caller

    def feed(self, data: bytes) -> list[dict[str, Any]]:
        """Add bytes; return every frame now complete."""
        self._buffer += data
        frames = []
        while len(self._buffer) >= HEADER.size:
            (size,) = HEADER.unpack_from(self._buffer)
            if size > self._max_frame:
                raise ProtocolError(f"frame announces {size} bytes, over the {self._max_frame} limit")
            if len(self._buffer) < HEADER.size + size:
                break
            body = bytes(self._buffer[HEADER.size : HEADER.size + size])
            del self._buffer[: HEADER.size + size]
            try:
                message = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError) as exc:
                # RecursionError: a few kilobytes of "[[[[..." exhaust the parser's stack.
                raise ProtocolError(f"frame is not valid JSON: {exc}") from None
            if not isinstance(message, dict) or not isinstance(message.get("type"), str):
                raise ProtocolError("frame is not an object with a type")
            frames.append(message)
        return frames

    def feed_after_backlog(self, data: bytes) -> list[dict[str, Any]]:
        """The frames set aside earlier, then those completed by `data`; the backlog is emptied."""
        frames, self.backlog = self.backlog + self.feed(data), []
        return frames

    @property
    def pending(self) -> int:
        """Bytes received that do not yet make a whole frame."""
        return len(self._buffer)


def read_frame_blocking(fd: int, max_frame: int = MAX_FRAME_BYTES) -> dict[str, Any]:
    """Read exactly one frame from a blocking descriptor (used inside the worker)."""
    header = _read_exactly(fd, HEADER.size)
    (size,) = HEADER.unpack(header)
    if size > max_frame:
        raise ProtocolError(f"frame announces {size} bytes, over the {max_frame} limit")
    message = json.loads(_read_exactly(fd, size).decode("utf-8"))
    if not isinstance(message, dict):
        raise ProtocolError("frame is not an object")
    return message


def _read_exactly(fd: int, size: int) -> bytes:
    chunks = []
    remaining = size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise ProtocolError("stream closed mid-frame")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
