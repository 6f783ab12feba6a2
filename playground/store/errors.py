"""StoreError, and the one sentence (what is wrong, what to do) for each way a database can fail."""

from __future__ import annotations

import errno
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from playground.settings import DATA_DIR_ENV, DATABASE_URL_ENV


class StoreError(Exception):
    """A store failure, carrying one human sentence that says what went wrong and what to do."""


class StoreRefusal(StoreError):
    """The store refuses the visitor's own data (too large, malformed, over a quota): safe to show as it is."""


class StoreUnreachable(StoreError):
    """The database server did not answer: asking again at once would only wait again."""


def postgres_unreachable(sqlstate: str | None, detail: str) -> bool:
    """True when a PostgreSQL error means the server could not be reached (rather than refused something)."""
    state = sqlstate or _state_from_connect_text(detail)
    return state is None or state.startswith("08") or state in _PG_GONE


@dataclass(frozen=True)
class Where:
    """The database as messages name it: the SQLite file's path, or the server URL without its password."""

    label: str
    path: Path | None = None
    server: str | None = None  # "host:port" of a database server


def read_only_message(where: Where) -> str:
    """The sentence for a database that refuses writes."""
    if where.path is not None:
        return (
            f"The progress database at {where.path} is read-only, so your work is not being saved;"
            " ask the operator to make the folder writable."
        )
    return (
        f"The progress database {where.label} is read-only, so your work is not being saved;"
        " ask the operator to let the playground's database user write to it."
    )


def full_message(where: Where) -> str:
    """The sentence for a database whose disk is full."""
    place = f"The disk holding {where.path}" if where.path is not None else f"The disk of the database {where.label}"
    return f"{place} is full, so your work was not saved; ask the operator to free some space."


def busy_message(where: Where, action: str) -> str:
    """The sentence for a database that stayed locked for too long."""
    return (
        f"The progress database {_at(where)} is busy (another program is holding a lock on it), so it could not"
        f" {action}; wait a moment and try again."
    )


def _at(where: Where) -> str:
    return f"at {where.path}" if where.path is not None else where.label


def sqlite_message(exc: sqlite3.Error, where: Where, action: str) -> str:
    """The sentence for an error from SQLite itself."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    path = where.path
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return busy_message(where, action)
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM) or (
        primary == sqlite3.SQLITE_CANTOPEN and path is not None and not writable(path)
    ):
        return read_only_message(where)
    if primary in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return (
            f"The file at {path} is not a readable progress database (it may be damaged), so nothing can be saved;"
            " it has been left untouched, so ask the operator to move it aside and restart the playground."
        )
    if primary == sqlite3.SQLITE_FULL:
        return full_message(where)
    if primary == sqlite3.SQLITE_CANTOPEN:
        return (
            f"The progress database at {path} cannot be opened, so your work is not being saved;"
            " ask the operator to check that its folder exists and is writable."
        )
    if primary == sqlite3.SQLITE_IOERR:
        return (
            f"A disk error stopped the playground from being able to {action} in {path};"
            " try again, and ask the operator to check the disk if it keeps happening."
        )
    return (
        f"The progress database at {path} failed ({exc}) while trying to {action};"
        " try again, and tell the operator if it keeps happening."
    )


# SQLSTATE classes and codes of PostgreSQL (see its "Error Codes" appendix).
_PG_PASSWORD = {"28P01", "28000"}
_PG_NO_DATABASE = "3D000"
_PG_READ_ONLY = {"25006", "42501"}
_PG_FULL = {"53100"}
_PG_BUSY = {"40001", "40P01", "55P03", "53300", "57014"}
_PG_GONE = {"57P01", "57P02", "57P03"}


def postgres_message(sqlstate: str | None, detail: str, where: Where, action: str) -> str:
    """The sentence for an error from a PostgreSQL server (or from failing to reach one)."""
    if sqlstate is None:
        # A refused connection carries no SQLSTATE, only libpq's text.
        sqlstate = _state_from_connect_text(detail)
    if sqlstate in _PG_PASSWORD:
        return (
            f"The database server {where.label} refused the playground's user name or password, so your work is"
            f" not being saved; ask the operator to fix the credentials in {DATABASE_URL_ENV}."
        )
    if sqlstate == _PG_NO_DATABASE:
        return (
            f"The database named in {where.label} does not exist on its server, so your work is not being saved;"
            f" ask the operator to create it or fix {DATABASE_URL_ENV}."
        )
    if sqlstate in _PG_READ_ONLY:
        return read_only_message(where)
    if sqlstate in _PG_FULL:
        return full_message(where)
    if sqlstate in _PG_BUSY:
        return busy_message(where, action)
    if sqlstate is None or sqlstate.startswith("08") or sqlstate in _PG_GONE:
        return (
            f"The database server {where.label} cannot be reached, so the playground could not {action};"
            " your code is still judged: try again in a moment, and ask the operator to check that the server"
            f" is running and that {DATABASE_URL_ENV} names it."
        )
    return (
        f"The progress database {where.label} failed ({detail.strip()[:200]}) while trying to {action};"
        " try again, and tell the operator if it keeps happening."
    )


def _state_from_connect_text(detail: str) -> str | None:
    text = detail.lower()
    if "password authentication failed" in text or "no password supplied" in text:
        return "28P01"
    if "no pg_hba.conf entry" in text or ("role" in text and "does not exist" in text):
        return "28000"
    if "database" in text and "does not exist" in text:
        return _PG_NO_DATABASE
    if "too many clients" in text or "remaining connection slots" in text:
        return "53300"
    return None


def os_message(exc: OSError, where: Where, action: str) -> str:
    """The sentence for an operating-system error around the SQLite file or its folder."""
    folder = where.path.parent if where.path is not None else None
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return read_only_message(where)
    if exc.errno == errno.ENOSPC:
        return full_message(where)
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return (
            f"The data folder {folder} cannot be created because a file is in the way, so your work is not"
            f" being saved; ask the operator to point {DATA_DIR_ENV} at a folder."
        )
    return (
        f"The playground could not {action} its data folder {folder} ({exc.strerror or exc});"
        " ask the operator to check that the folder exists and is writable."
    )


def writable(path: Path) -> bool:
    """True when path (or, if it does not exist yet, its folder) may be written by this process."""
    target = path if path.exists() else path.parent
    return os.access(target, os.W_OK)
