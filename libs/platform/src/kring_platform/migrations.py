"""The body of every service's Alembic `env.py`: the same settings, online mode, async."""

import asyncio

from alembic import context
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from kring_platform.settings import ServiceSettings


def run_migrations(target_metadata: MetaData, settings: ServiceSettings) -> None:
    if context.is_offline_mode():
        context.configure(url=settings.database_url, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(target_metadata, settings.database_url))


async def _run_online(target_metadata: MetaData, url: str) -> None:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        await conn.run_sync(_run_sync, target_metadata)
    await engine.dispose()


def _run_sync(conn: Connection, target_metadata: MetaData) -> None:
    context.configure(connection=conn, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
