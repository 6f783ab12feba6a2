"""Length-prefixed JSON frames between the judge and a sandboxed worker, size-checked first."""

from __future__ import annotations

import json
import os
import struct
from typing import Any

HEADER = struct.Struct(">I")
MAX_FRAME_BYTES = 8 * 1024 * 1024


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
