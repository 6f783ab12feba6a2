"""A throwaway PostgreSQL server from Debian's binaries, for the store's tests: one per test session.

Use it by importing the fixture into a test module: `from tests.support.postgres_server import postgres_server_fixture`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.support.servers import free_port, require_binary

ADMIN = "playground_admin"


class PostgresServer:
    """initdb + pg_ctl in a private folder, listening on 127.0.0.1 with a password role; run as "postgres" under root."""

    def __init__(self, initdb: str, *, durable: bool = False) -> None:
        self.durable = durable  # True keeps fsync on (for benchmarks); tests do not need durability
        self.bin = Path(initdb).parent
        self.password = secrets.token_hex(12)
        self.port = 0
        # Not pytest's tmp_path: that is private to root, and the server must run as another user.
        self.folder = Path(tempfile.mkdtemp(prefix="playground-pg-"))
        self.data = self.folder / "data"
        self._databases = 0
        self._shared = ""

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.folder)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stdout[-800:]}{done.stderr[-800:]}")

    def start(self) -> None:
        """Create the cluster and start it; returns once it accepts connections."""
        password_file = self.folder / "password"
        password_file.write_text(self.password)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            shutil.chown(password_file, "postgres", "postgres")
        os.chmod(self.folder, 0o700)
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", ADMIN, f"--pwfile={password_file}",
            "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync",
        )
        for attempt in range(3):
            self.port = free_port()
            try:
                self.resume()
                return
            except RuntimeError:
                if attempt == 2:
                    raise RuntimeError((self.folder / "server.log").read_text()[-2000:]) from None

    def pause(self) -> None:
        """Stop the server but keep its data, as a crash or a maintenance window would."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """Start a paused server again on the same port."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder}"
            " -c max_connections=200"
        )
        if not self.durable:
            # Durability is not under test here; without fsync the suite stays fast on a busy machine.
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres", *, user: str = ADMIN, password: str | None = None) -> str:
        """A SQLAlchemy URL for database, as user (the admin role by default)."""
        return (
            f"postgresql+psycopg://{user}:{password if password is not None else self.password}"
            f"@127.0.0.1:{self.port}/{database}"
        )

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run one statement as the admin role, outside a transaction (CREATE DATABASE needs that)."""
        dsn = f"host=127.0.0.1 port={self.port} dbname={database} user={ADMIN} password={self.password}"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql)

    def new_schema_url(self) -> str:
        """A URL whose tables live in a fresh, empty schema of one shared database: a new database per test
        would copy several megabytes each time, which made the suite slow to run and slower to clean up."""
        if not self._shared:
            self._shared = self.new_database()
        self._databases += 1
        name = f"test_{self._databases}_{secrets.token_hex(3)}"
        self.execute(f'CREATE SCHEMA "{name}"', database=self._shared)
        return f"{self.url(self._shared)}?options=-csearch_path%3D{name}"

    def new_database(self) -> str:
        """A fresh, empty database; its name."""
        self._databases += 1
        name = f"store_{self._databases}_{secrets.token_hex(3)}"
        self.execute(f'CREATE DATABASE "{name}"')
        return name


@pytest.fixture(scope="session", name="postgres_server")
def postgres_server_fixture() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole session (skipped outside CI when Debian's postgresql is missing)."""
    initdb = require_binary("initdb", "postgresql", search=("/usr/lib/postgresql/*/bin/initdb",))
    server = PostgresServer(initdb)
    try:
        server.start()
        yield server
    finally:
        server.stop()
