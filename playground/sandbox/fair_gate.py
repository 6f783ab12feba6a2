"""Admits at most a fixed number of holders at once, in the order they arrived."""

from __future__ import annotations

import threading
import time
from collections import deque


class FairGate:
    """At most `capacity` holders at once, admitted strictly in arrival order."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._active = 0
        self._waiting: deque[object] = deque()
        self._cond = threading.Condition()

    def enter(self, deadline: float) -> bool:
        """Wait for a turn until the deadline (time.monotonic()); False when it passed first."""
        ticket = object()
        with self._cond:
            self._waiting.append(ticket)
            my_turn = lambda: self._waiting[0] is ticket and self._active < self._capacity  # noqa: E731
            if not self._cond.wait_for(my_turn, max(0.0, deadline - time.monotonic())):
                self._waiting.remove(ticket)
                self._cond.notify_all()  # the next in line may be first now
                return False
            self._waiting.popleft()
            self._active += 1
            self._cond.notify_all()
            return True

    def leave(self) -> None:
        """Give the turn back."""
        with self._cond:
            self._active -= 1
            self._cond.notify_all()
