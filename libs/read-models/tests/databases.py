"""A fresh Postgres database with a test's own tables, dropped afterwards."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import MetaData

from kring_platform.db import Database
from kring_platform.testing import create_database, drop_database


@asynccontextmanager
async def database_with(name: str, metadata: MetaData) -> AsyncIterator[Database]:
    url = create_database(name)
    database = Database(url)
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        yield database
    finally:
        await database.dispose()
        drop_database(url)
