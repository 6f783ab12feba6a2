"""Reading learner source files for the CLI: size-checked, decoded strictly, never a traceback."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

# Read a little past the judge's limit so an oversized file is reported with its real size.
READ_LIMIT = 200_000


@dataclass(frozen=True)
class SourceFile:
    """A source as read from disk or stdin: its name, text (if it decoded) and size."""

    name: str
    text: str | None
    size: int
    decode_error: str | None = None


def read_source_file(path: str) -> tuple[SourceFile | None, str | None]:
    """The file's source, or a usage-error sentence when it cannot be read at all."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(READ_LIMIT + 1)
            size = len(data) if len(data) <= READ_LIMIT else len(data) + len(sys.stdin.buffer.read())
            name = "<stdin>"
        else:
            if os.path.isdir(path):
                return None, f"{path} is a folder, not a source file"
            with open(path, "rb") as handle:
                data = handle.read(READ_LIMIT + 1)
            size = os.path.getsize(path)
            name = path
    except FileNotFoundError:
        return None, f"cannot read {path}: no such file"
    except PermissionError:
        return None, f"cannot read {path}: permission denied"
    except OSError as exc:
        return None, f"cannot read {path}: {exc.strerror or exc}"
    if size > READ_LIMIT:
        return SourceFile(name, "", size), None
    try:
        return SourceFile(name, data.decode("utf-8"), size), None
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start} (0x{data[exc.start]:02x})"
        return SourceFile(name, None, size, f"it is not UTF-8 text: {where} cannot be decoded"), None
