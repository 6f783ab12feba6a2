"""Which database the store uses (PLAYGROUND_DATABASE_URL, else the SQLite file in the data folder) and its engine."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError

from playground.settings import DEFAULT_DATA_DIR, Settings
from playground.store.errors import DATABASE_URL_ENV, StoreError, Where

DB_FILENAME = "playground.sqlite3"
DEFAULT_BUSY_TIMEOUT_MS = 5_000
CONNECT_TIMEOUT_S = 5
WRITE = "playground_write"  # execution option: this transaction writes (SQLite takes its write lock up front)


def resolve(data_dir: str | os.PathLike[str] | None = None, url: str | URL | None = None) -> tuple[URL, Where]:
    """The database URL and how messages name it: url, else data_dir, else the environment, else ./data."""
    if url is None and data_dir is None:
        settings = Settings.from_environment()
        url, data_dir = settings.database_url, settings.data_dir
    if url is None:
        folder = Path(data_dir if data_dir is not None else DEFAULT_DATA_DIR)
        path = folder.absolute() / DB_FILENAME
        return URL.create("sqlite+pysqlite", database=str(path)), Where(str(path), path=path)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(
            f"{DATABASE_URL_ENV} is not a database URL ({exc}); ask the operator to set it to one such as"
            " postgresql+psycopg://user:password@host/database."
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
        server = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
        return parsed, Where(parsed.render_as_string(hide_password=True), server=server)
    if backend == "sqlite" and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database).absolute()
        return parsed.set(drivername="sqlite+pysqlite", database=str(path)), Where(str(path), path=path)
    raise StoreError(
        f"{DATABASE_URL_ENV} names a {backend} database, but the playground keeps its data only in PostgreSQL"
        " (postgresql+psycopg://...) or in a SQLite file; ask the operator to fix it."
    )


def make_engine(url: URL, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for url; SQLite gets a busy timeout and explicit BEGINs, PostgreSQL a connect timeout."""
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False})
        _explicit_sqlite_transactions(engine, busy_timeout_ms)
        return engine
    # pre_ping replaces connections a restarted server dropped, so the store recovers on its own.
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


def _explicit_sqlite_transactions(engine: Engine, busy_timeout_ms: int) -> None:
    # Python's sqlite3 begins transactions lazily and not before DDL; taking BEGIN over ourselves makes
    # migrations transactional and lets writers take the write lock first (no lock upgrade deadlocks).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - SQLAlchemy's signature
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        # Read the schema before anything writes, so a file that is not a database is left untouched.
        cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
        cursor.execute("PRAGMA journal_mode = WAL").fetchone()
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # noqa: ANN001 - SQLAlchemy's signature
        write = connection.get_execution_options().get(WRITE, False)
        # Straight to sqlite3: going through SQLAlchemy's statement machinery doubled a draft save's CPU time.
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
