"""The tables, as SQLAlchemy Core sees them: the shape Alembic's migrations build, in one place."""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, MetaData, Table, Text

metadata = MetaData()

drafts = Table(
    "drafts",
    metadata,
    Column("learner_id", Text, primary_key=True),
    Column("problem_id", Text, primary_key=True),
    Column("code", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", Text, nullable=False),
    Column("problem_id", Text, nullable=False),
    # ISO-8601 UTC text in one fixed shape (records.iso), so it sorts in time order and exports unchanged.
    Column("created_at", Text, nullable=False),
    Column("mode", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("passed", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("code", Text, nullable=False),
    Column("verdict", Text, nullable=False),
    Column("elapsed_ms", Float, nullable=False, server_default="0"),
    Column("code_sha256", Text, nullable=False, server_default=""),
    Column("figures", Text, nullable=True),
    Index("submissions_by_learner", "learner_id", "problem_id", "created_at"),
    Index("submissions_dedupe", "learner_id", "problem_id", "created_at", "code_sha256"),
    sqlite_autoincrement=True,
)
