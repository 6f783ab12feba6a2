"""Drafts, submissions and progress of each learner, in PostgreSQL or a SQLite file (SQLAlchemy + Alembic)."""

from playground.store.engine import DB_FILENAME, DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_DATA_DIR
from playground.store.errors import DATA_DIR_ENV, DATABASE_URL_ENV, StoreError, StoreRefusal, StoreUnreachable
from playground.store.figures import MAX_FIGURES_BYTES
from playground.store.records import (
    MAX_CODE_CHARS,
    MAX_PROBLEM_ID_CHARS,
    MAX_VERDICT_BYTES,
    ProgressState,
    SubmissionRecord,
    is_valid_learner_id,
    new_learner_id,
)
from playground.store.store import Store
from playground.store.transfer import EXPORT_FORMAT, EXPORT_VERSION, MAX_IMPORT_BYTES

__all__ = [
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "DB_FILENAME",
    "DEFAULT_BUSY_TIMEOUT_MS",
    "DEFAULT_DATA_DIR",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "MAX_CODE_CHARS",
    "MAX_FIGURES_BYTES",
    "MAX_IMPORT_BYTES",
    "MAX_PROBLEM_ID_CHARS",
    "MAX_VERDICT_BYTES",
    "ProgressState",
    "Store",
    "StoreError",
    "StoreRefusal",
    "StoreUnreachable",
    "SubmissionRecord",
    "is_valid_learner_id",
    "new_learner_id",
]
