"""Fair turns in the sandbox: a free sandbox goes to the learner with the fewest submissions running."""

from __future__ import annotations

import itertools
import threading
import time


class LearnerTurns:
    """At most `capacity` submissions in the sandbox at once; a free turn goes to the waiting learner with the
    fewest running, then to the one served longest ago (round robin), then to the earliest arrival: so one
    learner's burst cannot hold the others back."""

    def __init__(self, capacity: int) -> None:
        self._capacity = max(1, capacity)
        self._running: dict[str | None, int] = {}
        self._waiting: list[tuple[int, str | None]] = []
        self._served: dict[str | None, int] = {}
        self._arrivals = itertools.count()
        self._cond = threading.Condition()

    def _next(self) -> tuple[int, str | None]:
        # Anonymous callers (None: the CLI, the benchmark) share one place in the order.
        return min(self._waiting, key=lambda t: (self._running.get(t[1], 0), self._served.get(t[1], -1), t[0]))

    def enter(self, learner: str | None, deadline: float) -> bool:
        """Wait for this learner's turn until the deadline (time.monotonic()); False when it passed first."""
        ticket = (next(self._arrivals), learner)
        with self._cond:
            self._waiting.append(ticket)
            my_turn = lambda: sum(self._running.values()) < self._capacity and self._next() == ticket  # noqa: E731
            if not self._cond.wait_for(my_turn, max(0.0, deadline - time.monotonic())):
                self._waiting.remove(ticket)
                self._cond.notify_all()  # the next in line may be first now
                return False
            self._waiting.remove(ticket)
            self._running[learner] = self._running.get(learner, 0) + 1
            self._served[learner] = ticket[0]
            if len(self._served) > 10_000:
                busy = self._running.keys() | {t[1] for t in self._waiting}
                self._served = {k: v for k, v in self._served.items() if k in busy}
            return True

    def leave(self, learner: str | None) -> None:
        """The learner's submission left the sandbox."""
        with self._cond:
            self._running[learner] -= 1
            if not self._running[learner]:
                del self._running[learner]
            self._cond.notify_all()
