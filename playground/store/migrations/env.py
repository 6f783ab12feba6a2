"""Alembic's entry point: runs the playground's migrations on the connection the store hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from playground.store.schema import metadata


def run() -> None:
    """Migrate on config.attributes["connection"] (the store's), or on sqlalchemy.url when run by hand."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
        with engine.begin() as own:
            _migrate(own)
        return
    _migrate(connection)


def _migrate(connection) -> None:  # noqa: ANN001 - a SQLAlchemy Connection
    context.configure(connection=connection, target_metadata=metadata, transactional_ddl=True)
    # Inside the store's transaction this adds no transaction of its own: all steps commit or none do.
    with context.begin_transaction():
        context.run_migrations()


run()
