"""Settings: every PLAYGROUND_* variable parsed in one place, with a sentence for each bad value."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from playground.settings import PublicLimits, Settings, SettingsError


def test_nothing_set_gives_the_embedded_defaults() -> None:
    settings = Settings.from_environment({"HOME": "/home/someone"})
    assert settings.data_dir == Path("data") and settings.database_url is None and settings.broker_url is None
    assert settings.workers is None and settings.pool_size == (os.cpu_count() or 1)
    assert settings.require_isolation is False and settings.warm_templates is True and settings.secret is None
    assert settings.public == PublicLimits()
    assert settings.cache_root.name == "flax-nnx-playground"


def test_each_variable_lands_in_its_field() -> None:
    settings = Settings.from_environment({
        "PLAYGROUND_DATA_DIR": "/srv/data", "PLAYGROUND_DATABASE_URL": " postgresql://u@h/db ",
        "PLAYGROUND_BROKER_URL": "redis://127.0.0.1:6379/0", "PLAYGROUND_WORKERS": "3",
        "PLAYGROUND_REQUIRE_ISOLATION": "yes", "PLAYGROUND_CACHE_DIR": "/srv/cache",
        "PLAYGROUND_WARM_TEMPLATES": "0", "PLAYGROUND_SECRET": "s3cret", "PLAYGROUND_MAX_CODE_BYTES": "5000",
    })
    assert settings.data_dir == Path("/srv/data") and settings.database_url == "postgresql://u@h/db"
    assert settings.broker_url == "redis://127.0.0.1:6379/0" and settings.pool_size == 3
    assert settings.require_isolation and not settings.warm_templates and settings.secret == "s3cret"
    assert settings.cache_root == Path("/srv/cache") and settings.public.code_bytes == 5000


def test_blank_values_count_as_unset() -> None:
    settings = Settings.from_environment({"PLAYGROUND_BROKER_URL": "  ", "PLAYGROUND_WORKERS": "", "PLAYGROUND_DATA_DIR": ""})
    assert settings.broker_url is None and settings.workers is None and settings.data_dir == Path("data")


@pytest.mark.parametrize("value", ["0", "-2", "four", "1.5"])
def test_a_bad_workers_setting_is_refused_clearly(value: str) -> None:
    with pytest.raises(SettingsError, match=r"PLAYGROUND_WORKERS=.* is not a positive whole number: set it to how many"):
        Settings.from_environment({"PLAYGROUND_WORKERS": value})


@pytest.mark.parametrize(("name", "value"), [
    ("PLAYGROUND_REQUIRE_ISOLATION", "maybe"), ("PLAYGROUND_WARM_TEMPLATES", "2"),
    ("PLAYGROUND_SUBMITS_PER_MINUTE", "many"), ("PLAYGROUND_MAX_BYTES_PER_LEARNER", "0"),
])
def test_every_bad_value_names_its_variable_and_the_fix(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=rf"^{name}=.*(set it to|unset it)"):
        Settings.from_environment({name: value})
