"""`python -m playground worker`: one warm local judge taking queued submissions N at a time."""

from __future__ import annotations

import os
import socket
import sys
import warnings
from typing import Any

from celery.exceptions import SecurityWarning
from celery.signals import worker_ready

from playground.judge.local import LocalJudge
from playground.problems import all_problems
from playground.queue.celery_app import QUEUE, create_app, redacted
from playground.queue.client import redis_problem
from playground.sandbox.records import IsolationError
from playground.settings import BROKER_ENV, Settings, SettingsError

WARM_TIMEOUT_S = 120.0


def run_worker(concurrency: int | None = None) -> int:
    """Run a judge worker until it is stopped (SIGTERM or Ctrl-C finish the submissions in hand)."""
    try:
        settings = Settings.from_environment()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    url = settings.broker_url
    if url is None:
        print(f"error: set {BROKER_ENV} to the Redis the page sends submissions to, e.g. redis://127.0.0.1:6379/0",
              file=sys.stderr)
        return 2
    try:
        size = concurrency or settings.pool_size
        app = create_app(url)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    problem = redis_problem(app, url)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    # The judge starts (and JAX with it) before Celery runs; Celery's threads pool never forks it.
    judge = LocalJudge(pool_size=size, settings=settings)
    try:
        judge.start()
    except IsolationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        judge.wait_until_ready(next(iter(all_problems())), WARM_TIMEOUT_S)
        from playground.queue.tasks import register_tasks

        register_tasks(app, judge)
        hostname = f"judge-{os.getpid()}@{socket.gethostname()}"

        @worker_ready.connect(weak=False)
        def announce(**_: Any) -> None:
            protections = ", ".join(judge.protections) or "none"
            print(f"judge worker {hostname} ready: {size} at a time from {redacted(url)} "
                  f"(protections: {protections})", flush=True)

        # Root is what the sandbox needs (namespaces, cgroups); Celery's warning about root is about
        # pickled messages, which this app never accepts (JSON only).
        warnings.filterwarnings("ignore", category=SecurityWarning)
        app.worker_main([
            "worker",
            "--pool=threads",
            f"--concurrency={size}",
            f"--hostname={hostname}",
            f"--queues={QUEUE}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ])
    finally:
        judge.close()
    return 0
