"""Bring a database to the current schema on start: adopt a file of the hand-written store, then Alembic."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from playground.store.engine import WRITE
from playground.store.errors import StoreError, Where
from playground.store.records import elapsed_from_text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ADOPTED_REVISION = "0001"  # the Alembic revision equal to the hand-written store's schema version 2
LEGACY_SCHEMA_VERSION = 2  # the hand-written store kept this in SQLite's PRAGMA user_version
_LOCK_KEY = int.from_bytes(hashlib.sha256(b"playground.store.migrate").digest()[:8], "big", signed=True)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config for the playground's migrations (no alembic.ini), bound to connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this playground knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine, where: Where) -> None:
    """Migrate the database to the head revision in one transaction: every step is applied or none is."""
    # Alembic logs each step at INFO; the page's console needs none of that on every start.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with engine.execution_options(**{WRITE: True}).begin() as conn:
        if conn.dialect.name == "postgresql":
            # Page servers starting together migrate one at a time; the later ones then find nothing to do.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        config = alembic_config(conn)
        script = ScriptDirectory.from_config(config)
        current = MigrationContext.configure(conn).get_current_heads()
        known = {rev.revision for rev in script.walk_revisions()}
        unknown = [rev for rev in current if rev not in known]
        if unknown:
            raise StoreError(_newer_message(where, unknown[0]))
        if not current and _adopt_legacy_sqlite(conn, where):
            command.stamp(config, ADOPTED_REVISION)
        if set(current) != {script.get_current_head()}:
            command.upgrade(config, "head")
        if conn.dialect.name == "sqlite":
            # A superset of the old layout: an older playground can still open this file after a rollback.
            conn.exec_driver_sql(f"PRAGMA user_version = {LEGACY_SCHEMA_VERSION}")


def _adopt_legacy_sqlite(conn: Connection, where: Where) -> bool:
    """True when this is a file of the hand-written store, brought to its schema version 2 if it was older."""
    if conn.dialect.name != "sqlite" or not inspect(conn).has_table("submissions"):
        return False
    version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
    if version > LEGACY_SCHEMA_VERSION:
        raise StoreError(_newer_message(where, f"schema {version}"))
    if version == 1:
        _legacy_v1_to_v2(conn)
    return version in (1, LEGACY_SCHEMA_VERSION)


def _legacy_v1_to_v2(conn: Connection) -> None:
    # The hand-written store's own step 1 -> 2, kept so its oldest files still open.
    conn.exec_driver_sql("ALTER TABLE submissions ADD COLUMN elapsed_ms REAL NOT NULL DEFAULT 0")
    conn.exec_driver_sql("ALTER TABLE submissions ADD COLUMN code_sha256 TEXT NOT NULL DEFAULT ''")
    rows = conn.exec_driver_sql("SELECT id, code, verdict FROM submissions").fetchall()
    for row_id, code, verdict_text in rows:
        conn.execute(
            text("UPDATE submissions SET elapsed_ms = :e, code_sha256 = :h WHERE id = :i"),
            {"e": elapsed_from_text(verdict_text), "h": hashlib.sha256(code.encode("utf-8")).hexdigest(), "i": row_id},
        )
    conn.exec_driver_sql(
        "CREATE INDEX submissions_by_learner ON submissions (learner_id, problem_id, created_at)"
    )
    conn.exec_driver_sql(
        "CREATE INDEX submissions_dedupe ON submissions (learner_id, problem_id, created_at, code_sha256)"
    )


def _newer_message(where: Where, found: str) -> str:
    return (
        f"The progress database {where.label} was written by a newer version of the playground"
        f" ({json.dumps(found)}, this one knows up to {head_revision()}); update the playground before using it."
    )
