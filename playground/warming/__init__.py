"""What the problems' warmup.py files share. It imports nothing else of the playground.

The sandbox's zygote loads each warmup.py by path, not as part of playground.problems, so that no
problem's tests sit in a worker's memory; a helper living in playground.problems would import that
package into the zygote. This package stands apart for that reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import jax


def run_each(spellings: Iterable[Callable[[], Any]]) -> None:
    """Run every spelling once and wait for its result; one that fails (wrong shapes, say) is skipped."""
    for spelling in spellings:
        try:
            jax.block_until_ready(spelling())
        except Exception:  # noqa: BLE001 - a spelling that does not fit these shapes is skipped
            pass
