"""Judges shared by the suites of one layer that need the same kind of judge, each started once.

Starting a judge boots a zygote and warms workers (seconds on two cores), so the suites of a layer
that need the same kind share one. A shared judge lives from its first user to its last user in the
layer, and never longer: the next layer's suites (the sandbox's hostile and fault suites above all)
see no judge of another suite's making.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from playground.sandbox.records import Limits

if TYPE_CHECKING:
    from playground.judge import Judge


@dataclass(frozen=True)
class JudgeKind:
    """What makes two judges interchangeable for a test: its problems, limits and pool size."""

    problems: tuple[str, ...] | None  # None: every problem
    limits: Limits | None = None  # None: the default limits
    pool_size: int | None = None  # None: the default pool


def layer(item: pytest.Item) -> str:
    """The layer a test belongs to: its folder under tests/."""
    return item.path.parent.name


class SharedJudges:
    """The open shared judges, by fixture name; each is closed after its last user in the layer."""

    def __init__(self, kinds: dict[str, JudgeKind]) -> None:
        self.kinds = kinds
        self._open: dict[str, Judge] = {}
        self._last_users: dict[tuple[str, str], str] | None = None

    def get(self, name: str) -> Judge:
        """The shared judge of this name, started on first use."""
        if name not in self._open:
            from playground.judge import Judge  # here, so collecting the tests starts no JAX

            kind = self.kinds[name]
            problems = list(kind.problems) if kind.problems is not None else None
            judge = Judge(pool_size=kind.pool_size, limits=kind.limits, problems=problems)
            judge.start()
            self._open[name] = judge
        return self._open[name]

    def after_test(self, item: pytest.Item, items: Sequence[pytest.Item]) -> None:
        """Close every shared judge whose last user in this layer was item (and any left from another layer)."""
        if self._last_users is None:
            self._last_users = {}
            for each in items:
                for name in self.kinds:
                    if name in each.fixturenames:
                        self._last_users[(name, layer(each))] = each.nodeid
        for name in list(self._open):
            if self._last_users.get((name, layer(item))) in (item.nodeid, None):
                self.close(name)

    def close(self, name: str) -> None:
        judge = self._open.pop(name, None)
        if judge is not None:
            judge.close()

    def close_all(self) -> None:
        for name in list(self._open):
            self.close(name)
