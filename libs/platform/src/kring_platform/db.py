"""Async SQLAlchemy engine and sessions on psycopg 3."""

import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Table, event, exc, make_url, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from kring_platform.telemetry import trace_engine

# A database that is away answers 503 within seconds instead of holding the request: a new
# connection gives up after this long, and a request waits this long for a pooled one.
CONNECT_TIMEOUT_S = 5
POOL_TIMEOUT_S = 10
# A pooled connection is pinged at checkout only after this long unused (see `ping_if_idle`).
PING_AFTER_IDLE_S = 1.0
_CHECKED_IN = "kring_checked_in"


class Database:
    def __init__(self, url: str, *, pool_size: int = 20) -> None:
        self.engine = _engine(url, pool_size)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_engine = _engine(url, pool_size, isolation_level="AUTOCOMMIT")
        self._read_sessions = async_sessionmaker(self.read_engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits when the block ends and rolls back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session that only reads: each statement runs on its own, without the BEGIN and
        COMMIT round trips of a transaction (two of a one-query read's three). Under READ
        COMMITTED a transaction gives each statement a snapshot of its own all the same. A read
        whose statements must see one snapshot, or that sets `SET LOCAL` options (the quick
        search does), takes `transaction()`."""
        async with self.autocommit() as session:
            yield session

    @asynccontextmanager
    async def autocommit(self) -> AsyncIterator[AsyncSession]:
        """A session whose every statement commits by itself, without BEGIN and COMMIT round
        trips: for the reads above, and for a write that is one statement (the outbox relay
        marking rows published)."""
        async with self._read_sessions() as session:
            yield session

    def trace(self) -> None:
        """A span per SQL statement of either pool, when spans are exported."""
        trace_engine(self.engine)
        trace_engine(self.read_engine)

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
        await self.read_engine.dispose()


def _engine(url: str, pool_size: int, **options: Any) -> AsyncEngine:
    engine = create_async_engine(
        url,
        # Kept open, never past it: an overflow connection is closed when it comes back to
        # a full pool, and under a steady load of more requests than the pool kept, one PUT
        # in ten paid a new Postgres backend (a fork, cold caches, its prepared statements
        # gone) to be thrown away after (issue #17).
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=POOL_TIMEOUT_S,
        connect_args=_connect_args(url),
        **options,
    )
    ping_if_idle(engine)
    return engine


def ping_if_idle(engine: AsyncEngine, idle_s: float = PING_AFTER_IDLE_S) -> None:
    """`pool_pre_ping` for connections unused for `idle_s`: a connection that died while
    pooled (Postgres restarted) is replaced at checkout, and a disconnect found that way or
    mid-statement invalidates the whole pool, so the service recovers by itself once the
    database is back. A connection checked in moments ago is taken as it is: pinging it cost
    a round trip and 6% of a member PUT's CPU; should the database have gone in between, its
    statement fails as a disconnect (503) and invalidates the pool all the same."""
    pool, dialect = engine.sync_engine.pool, engine.sync_engine.dialect

    def note_checkin(dbapi_connection: object, record: ConnectionPoolEntry) -> None:
        record.info[_CHECKED_IN] = time.monotonic()

    def ping_idle(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: object) -> None:
        checked_in = record.info.get(_CHECKED_IN)  # None: a fresh connection, as pre-ping
        if checked_in is not None and time.monotonic() - checked_in >= idle_s:
            _ping(dialect, dbapi_connection)

    event.listen(pool, "checkin", note_checkin)
    event.listen(pool, "checkout", ping_idle)


def _ping(dialect: Dialect, dbapi_connection: Any) -> None:
    """What pre-ping does: a dead connection invalidates every pooled one (the checkout then
    takes a new one), any other error goes to the caller."""
    try:
        dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error as error:
        if dialect.is_disconnect(error, dbapi_connection, None):
            raise exc.InvalidatePoolError() from error
        raise


def _connect_args(url: str) -> dict[str, Any]:
    """libpq's connect timeout, unless the URL names its own (its TLS options, `sslmode`,
    `sslrootcert`, pass through from the URL as they are)."""
    if "connect_timeout" in make_url(url).query:
        return {}
    return {"connect_timeout": CONNECT_TIMEOUT_S}


async def copy_rows(
    session: AsyncSession, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Writes `rows` (values in the order of `columns`; the table's other columns take their
    defaults) into `table` with COPY, in the session's open transaction: the cheapest bulk
    insert there is, for thousands of rows. Triggers fire as for INSERT. Values go as psycopg
    dumps them as text: a JSONB column takes a str of JSON (e.g. `model_dump_json()`)."""
    await session.flush()  # what the session holds goes first, as before any statement
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).driver_connection
    if not isinstance(raw, psycopg.AsyncConnection):  # pragma: no cover - psycopg everywhere
        raise TypeError(f"copy_rows needs psycopg, not {type(raw).__name__}")
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(*filter(None, (table.schema, table.name))),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
    )
    async with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            await copy.write_row(row)
