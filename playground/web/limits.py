"""What one visitor may send and start: the public limits, each a setting, and the gates that keep them."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


class SlidingWindow:
    """At most `count` events per key within `window_s` seconds."""

    def __init__(self, count: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.count = count
        self.window_s = window_s
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Record one event for key and return 0, or return the seconds until one is allowed (nothing recorded)."""
        now = self._clock()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and now - events[0] >= self.window_s:
                events.popleft()
            if len(events) >= self.count:
                return self.window_s - (now - events[0])
            events.append(now)
            if len(self._events) > 10_000:
                self._forget_idle(now)
            return 0.0

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, e in self._events.items() if not e or now - e[-1] >= self.window_s]:
            del self._events[key]


@dataclass(frozen=True)
class Ticket:
    """One admitted judging request: give it back with SubmissionGate.leave."""

    learner: str
    session: str


class SubmissionGate:
    """One submission in flight per learner and per browser session, and a rate per learner."""

    def __init__(self, submits_per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = SlidingWindow(submits_per_minute, 60.0, clock)
        self._learners: set[str] = set()
        self._sessions: set[str] = set()
        self._lock = threading.Lock()

    def enter(self, learner: str, session: str) -> Ticket | str:
        """A ticket, or the sentence that tells the visitor why this request is not judged now."""
        with self._lock:
            if session in self._sessions or learner in self._learners:
                return ("Your previous Run or Submit is still being judged (in this tab or another one with the "
                        "same address): wait for its verdict, then try again.")
            wait = self._rate.take(learner)
            if wait:
                return (f"That is more than {self._rate.count} Runs and Submits in a minute: wait {wait:.0f} s, "
                        "then try again.")
            self._learners.add(learner)
            self._sessions.add(session)
        return Ticket(learner, session)

    def leave(self, ticket: Ticket) -> None:
        """The request's verdict is in (or it failed): the learner and the session may judge again."""
        with self._lock:
            self._learners.discard(ticket.learner)
            self._sessions.discard(ticket.session)

    def busy(self, learner: str) -> bool:
        """True while one of the learner's requests is being judged."""
        with self._lock:
            return learner in self._learners


def too_large(text: str, limit: int) -> int | None:
    """The text's size in UTF-8 bytes when it is over the limit, else None (cheap for short text)."""
    if len(text) * 4 <= limit:
        return None
    size = len(text.encode("utf-8", errors="replace"))
    return size if size > limit else None
