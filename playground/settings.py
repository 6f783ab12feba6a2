"""Every PLAYGROUND_* environment variable, parsed and checked in one place into one Settings value.

An entry point (the page server, the CLI, a judge worker, a benchmark) reads the environment once with
`Settings.from_environment()` and passes the result down; the layers below take what they need from it
and never read the environment themselves. This module imports nothing else of the playground's, so
every layer may use it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

DATA_DIR_ENV = "PLAYGROUND_DATA_DIR"
DATABASE_URL_ENV = "PLAYGROUND_DATABASE_URL"
BROKER_ENV = "PLAYGROUND_BROKER_URL"
WORKERS_ENV = "PLAYGROUND_WORKERS"
REQUIRE_ISOLATION_ENV = "PLAYGROUND_REQUIRE_ISOLATION"
CACHE_DIR_ENV = "PLAYGROUND_CACHE_DIR"
TEMPLATES_ENV = "PLAYGROUND_WARM_TEMPLATES"
SECRET_ENV = "PLAYGROUND_SECRET"
DEFAULT_DATA_DIR = "data"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SettingsError(ValueError):
    """An environment variable holds a value the playground cannot use; the message names it and the fix."""


@dataclass(frozen=True)
class PublicLimits:
    """The defaults of "Public limits" in DESIGN.md; every field has an environment variable (PUBLIC_LIMIT_ENV)."""

    code_bytes: int = 100_000
    custom_input_bytes: int = 4_096
    diff_lines: int = 2_000
    submits_per_minute: int = 20
    imports_per_hour: int = 5
    rows_per_learner: int = 2_000
    bytes_per_learner: int = 50_000_000


PUBLIC_LIMIT_ENV = {
    "code_bytes": "PLAYGROUND_MAX_CODE_BYTES",
    "custom_input_bytes": "PLAYGROUND_MAX_CUSTOM_INPUT_BYTES",
    "diff_lines": "PLAYGROUND_MAX_DIFF_LINES",
    "submits_per_minute": "PLAYGROUND_SUBMITS_PER_MINUTE",
    "imports_per_hour": "PLAYGROUND_IMPORTS_PER_HOUR",
    "rows_per_learner": "PLAYGROUND_MAX_SUBMISSIONS_PER_LEARNER",
    "bytes_per_learner": "PLAYGROUND_MAX_BYTES_PER_LEARNER",
}


def default_cache_root(environ: Mapping[str, str]) -> Path:
    """$XDG_CACHE_HOME (else ~/.cache) / flax-nnx-playground: where compiled ops are kept between runs."""
    base = environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "flax-nnx-playground"


@dataclass(frozen=True)
class Settings:
    """What the operator chose; the defaults are what `make run` uses with nothing set."""

    data_dir: Path = Path(DEFAULT_DATA_DIR)
    database_url: str | None = None  # None: the SQLite file in data_dir
    broker_url: str | None = None  # None: judge in this process, else through the queue at this Redis
    workers: int | None = None  # submissions judged at once; None: one per core
    require_isolation: bool = False
    cache_root: Path = field(default_factory=lambda: default_cache_root(os.environ))
    warm_templates: bool = True
    secret: str | None = None  # None: a random secret kept in data_dir
    public: PublicLimits = field(default_factory=PublicLimits)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment names; SettingsError says which variable is wrong and how to fix it."""
        env = os.environ if environ is None else environ
        return cls(
            data_dir=Path(_text(env, DATA_DIR_ENV) or DEFAULT_DATA_DIR),
            database_url=_text(env, DATABASE_URL_ENV),
            broker_url=_text(env, BROKER_ENV),
            workers=_positive(env, WORKERS_ENV, None, "how many submissions may run at once (e.g. 4)",
                              "to use one per core"),
            require_isolation=_flag(env, REQUIRE_ISOLATION_ENV, False),
            cache_root=Path(_text(env, CACHE_DIR_ENV) or default_cache_root(env)),
            warm_templates=_flag(env, TEMPLATES_ENV, True),
            secret=_text(env, SECRET_ENV),
            public=PublicLimits(**{
                f.name: _positive(env, PUBLIC_LIMIT_ENV[f.name], f.default, f"one (e.g. {f.default})", "")
                for f in fields(PublicLimits)
            }),
        )

    @property
    def pool_size(self) -> int:
        """Submissions judged at once: the workers setting, else one per core."""
        return self.workers if self.workers is not None else (os.cpu_count() or 1)


def _text(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = (_text(env, name) or "").lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name}={value!r} is neither on nor off: set it to 1 or 0, or unset it.")


def _positive(env: Mapping[str, str], name: str, default: int | None, example: str, unset_means: str) -> int | None:
    text = _text(env, name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        unset = f"unset it {unset_means}" if unset_means else "unset it"
        raise SettingsError(f"{name}={text!r} is not a positive whole number: set it to {example}, or {unset}.")
    return value
