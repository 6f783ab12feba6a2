"""The Celery app both sides share: the broker and result backend on one Redis, and delivery settings."""

from __future__ import annotations

from urllib.parse import urlsplit

from celery import Celery
from celery.backends.redis import RedisBackend

from playground.queue import BROKER_ENV
from playground.sandbox.pool import VERDICT_MARGIN_S
from playground.sandbox.records import Limits

QUEUE = "playground-judge"
JUDGE_TASK = "playground.judge_submission"
DESCRIBE_COMMAND = "playground_describe"
RESULT_EXPIRES_S = 3600  # a verdict is read within seconds; an hour leaves room to inspect it
CONNECT_TIMEOUT_S = 3.0
SOCKET_TIMEOUT_S = 15.0  # above the 1 s blocking pop kombu uses to wait for work
REDIS_SCHEMES = ("redis", "rediss", "unix")


class PolledRedisBackend(RedisBackend):
    """Celery's Redis result backend, read by polling: no pub/sub subscription per submission.

    Celery subscribes the sending thread to each task's result channel, which a page serving many
    threads never drains; the client polls the result key instead (a GET costs ~0.1 ms).
    """

    def on_task_call(self, producer: object, task_id: str) -> None:
        """Subscribe to nothing: the client polls."""


def done_key(submission_id: str) -> str:
    """The Redis list a worker pushes to once a submission's verdict is stored (the client waits on it)."""
    return f"playground:done:{submission_id}"


def visibility_timeout_s(limits: Limits) -> float:
    """How long a taken but unacknowledged submission waits before Redis hands it to another worker.

    A worker answers within the verdict bound (wall limit + VERDICT_MARGIN_S); twice the margin on
    top keeps a slow but live worker's submission from being handed out again.
    """
    return limits.wall_seconds + 2 * VERDICT_MARGIN_S


def redacted(url: str) -> str:
    """The URL without its password, for messages; a password may hold '/', '#', '?' or '@' unencoded."""
    scheme, separator, rest = url.partition("://")
    if not separator or "@" not in rest:
        return url
    # The host never holds '@', so the last one ends the credentials, whatever characters they contain.
    credentials, _, location = rest.rpartition("@")
    user = credentials.split(":", 1)[0] if ":" in credentials else ""
    return f"{scheme}://{user}:***@{location}"


def check_url(url: str) -> None:
    """Raise ValueError with what to do when the URL is no Redis URL."""
    scheme = urlsplit(url).scheme
    if scheme not in REDIS_SCHEMES:
        raise ValueError(
            f"{BROKER_ENV}={redacted(url)!r} is not a Redis URL: use e.g. redis://127.0.0.1:6379/0 "
            "(queue mode runs on Redis), or unset it to judge in this process."
        )


def create_app(url: str, limits: Limits | None = None) -> Celery:
    """A Celery app on the Redis at `url` with at-least-once delivery of submissions."""
    check_url(url)
    limits = limits or Limits()
    app = Celery("playground", broker=url, backend=f"{__name__}:PolledRedisBackend+{url}", set_as_current=False)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_default_queue=QUEUE,
        # A worker that dies mid-submission has not acknowledged it, so Redis hands it out again.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_track_started=True,  # the client learns which worker holds its submission, to notice it die
        result_expires=RESULT_EXPIRES_S,
        broker_transport_options={
            "visibility_timeout": visibility_timeout_s(limits),
            "socket_connect_timeout": CONNECT_TIMEOUT_S,
            "socket_timeout": SOCKET_TIMEOUT_S,
        },
        broker_connection_timeout=CONNECT_TIMEOUT_S,
        broker_connection_retry_on_startup=True,
        redis_socket_connect_timeout=CONNECT_TIMEOUT_S,
        redis_socket_timeout=SOCKET_TIMEOUT_S,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5},
        worker_redirect_stdouts=False,  # the `ready` line must reach stdout
        worker_send_task_events=False,
        task_send_sent_event=False,
    )
    return app
