"""The hand-written migration and the SQLAlchemy models describe the same schema."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from kring_contacts.db_models import Base
from kring_platform.db import Database
from kring_platform.event_tables import event_metadata

pytestmark = pytest.mark.integration


def differences(connection: Connection) -> list[object]:
    models = MetaData()
    for metadata in (Base.metadata, event_metadata):
        for table in metadata.tables.values():
            table.to_metadata(models)
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [
        diff
        for diff in compare_metadata(context, models)
        # Alembic's own bookkeeping table is not a model.
        if not (diff[0] == "remove_table" and diff[1].name == "alembic_version")
    ]


async def test_the_migrated_schema_matches_the_models(database: Database) -> None:
    async with database.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_quick_search_has_its_extension(database: Database) -> None:
    async with database.engine.connect() as connection:
        result = await connection.exec_driver_sql(
            "SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'"
        )
        assert result.scalar() == "pg_trgm"
