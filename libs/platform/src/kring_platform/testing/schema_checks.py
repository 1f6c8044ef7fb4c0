"""Checks of a service's hand-written migration: it builds the tables the models describe,
and it downgrades and upgrades again."""

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from kring_platform.event_tables import event_metadata

from .databases import alembic, create_database, drop_database, migrate


def _table_of(difference: Any) -> str | None:
    for part in difference if isinstance(difference, tuple) else difference[0]:
        table = getattr(part, "table", None)
        if table is not None:
            return str(table.name)
        if getattr(part, "name", None) in event_metadata.tables:
            return str(part.name)
    return None


def model_differences(connection: Connection, models: MetaData) -> list[Any]:
    """What the migrated schema on `connection` has other than `models` (the platform's own
    event tables aside); run it with `AsyncConnection.run_sync`."""
    context = MigrationContext.configure(connection)
    return [
        difference
        for difference in compare_metadata(context, models)
        if _table_of(difference) not in event_metadata.tables  # the platform's own tables
    ]


def downgrade_and_upgrade(alembic_ini: Path, prefix: str) -> None:
    """Migrates a fresh database up, all the way down and up again; raises if a step fails."""
    url = create_database(prefix)
    try:
        migrate(alembic_ini, url)
        alembic(alembic_ini, url, "downgrade", "base")
        migrate(alembic_ini, url)
    finally:
        drop_database(url)
