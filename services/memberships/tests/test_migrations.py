"""The hand-written migration builds exactly the tables the models describe, and undoes them."""

import os
import subprocess
import sys
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI
from sqlalchemy.engine import Connection

from kring_memberships.db_models import Base
from kring_platform.event_tables import event_metadata
from kring_platform.testing import create_database, drop_database, migrate

from .conftest import ALEMBIC_INI, runtime_of

pytestmark = pytest.mark.integration


def _table_of(difference: Any) -> str | None:
    for part in difference if isinstance(difference, tuple) else difference[0]:
        table = getattr(part, "table", None)
        if table is not None:
            return str(table.name)
        if getattr(part, "name", None) in event_metadata.tables:
            return str(part.name)
    return None


def _model_differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection)
    return [
        difference
        for difference in compare_metadata(context, Base.metadata)
        if _table_of(difference) not in event_metadata.tables  # the platform's own tables
    ]


async def test_the_migration_matches_the_models(app: FastAPI) -> None:
    async with runtime_of(app).database.engine.connect() as connection:
        assert await connection.run_sync(_model_differences) == []


def test_the_migration_downgrades_and_upgrades_again() -> None:
    url = create_database("memberships_migration")
    try:
        migrate(ALEMBIC_INI, url)
        subprocess.run(
            [sys.executable, "-m", "alembic", "-c", str(ALEMBIC_INI), "downgrade", "base"],
            env={**os.environ, "DATABASE_URL": url},
            check=True,
            capture_output=True,
        )
        migrate(ALEMBIC_INI, url)
    finally:
        drop_database(url)
