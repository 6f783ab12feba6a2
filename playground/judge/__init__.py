"""The judge: a source for a problem in, a Verdict out (the page, the CLI and outside tests use this)."""

from playground.judge.local import MAX_SOURCE_BYTES, IsolationError, Judge, default_cache_dir

__all__ = ["Judge", "IsolationError", "MAX_SOURCE_BYTES", "default_cache_dir"]
