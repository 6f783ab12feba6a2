"""A throwaway Redis from Debian's redis-server, for the queue tests: one per test module.

Use it by importing the fixture into a test module: `from tests.support.redis_server import redis_server`.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.support.servers import free_port, require_binary

START_TIMEOUT_S = 30.0


class RedisServer:
    """redis-server on a free port of 127.0.0.1, in its own folder, persisting nothing."""

    def __init__(self, binary: str, folder: Path) -> None:
        self.binary = binary
        self.folder = folder
        self.port = 0
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        """The redis:// URL of one of its databases."""
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        """Start it; returns once it answers PING."""
        self.port = free_port()
        with open(self.folder / "redis.log", "wb") as log:  # the server keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(self.folder)],
                stdout=log, stderr=subprocess.STDOUT,
            )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start: {(self.folder / 'redis.log').read_text()[-1500:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop it and wait for it to exit."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A running Redis for this module's tests (skipped, or failed in CI, without redis-server)."""
    server = RedisServer(require_binary("redis-server", "redis-server"), tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
