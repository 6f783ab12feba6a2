"""The judge: a source for a problem in, a Verdict out (the page, the CLI and outside tests use this).

Its names are loaded on first use, so importing the package (as the wiring in playground/__init__.py
does) does not start JAX.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "Judge": "playground.judge.choice",
    "JudgeService": "playground.judge.interface",
    "JudgeOptions": "playground.judge.interface",
    "LocalJudge": "playground.judge.local",
    "default_cache_dir": "playground.judge.local",
    "IsolationError": "playground.sandbox.records",
    "MAX_SOURCE_BYTES": "playground.judge.source_checks",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'playground.judge' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
