"""The one place JAX's persistent compilation cache is switched on, for every process that uses it."""

from __future__ import annotations

import jax

# Workers only read: with this minimum compile time they never try to write an entry.
_NEVER_WRITE_S = 1e9


def use_jax_cache(directory: str | None, *, writable: bool) -> None:
    """Read compiled ops from `directory` (and, when `writable`, keep new ones there); None: no cache."""
    if not directory:
        return
    jax.config.update("jax_compilation_cache_dir", directory)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0 if writable else _NEVER_WRITE_S)
