"""The tables of the event plumbing, present in every service's database.

`outbox` keeps the column names of Debezium's outbox event router (`id`, `aggregatetype`,
`aggregateid`, `type`, `payload`, `tracingspancontext`), so an operator at scale can swap
our relay for Debezium reading the WAL (route by `topic`, key by `messagekey`).
"""

from typing import Protocol

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    MetaData,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.engine import Connection

OUTBOX_CHANNEL = "kring_outbox"

event_metadata = MetaData()

outbox = Table(
    "outbox",
    event_metadata,
    # Commit order within an aggregate: writers lock the aggregate row first.
    Column("position", BigInteger, Identity(always=True), primary_key=True),
    Column("id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("aggregatetype", String(100), nullable=False),
    Column("aggregateid", String(100), nullable=False),
    Column("type", String(200), nullable=False),
    Column("topic", String(200), nullable=False),
    Column("messagekey", String(100), nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("tracingspancontext", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("published_at", DateTime(timezone=True), nullable=True),
    Index("outbox_unpublished", "position", postgresql_where=text("published_at IS NULL")),
)

inbox = Table(
    "inbox",
    event_metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("consumer_group", String(100), nullable=False),
    Column("type", String(200), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

applied_sequences = Table(
    "applied_sequences",
    event_metadata,
    Column("source", String(200), primary_key=True),
    Column("subject", String(100), primary_key=True),
    Column("sequence", BigInteger, nullable=False),
)


class _MigrationOps(Protocol):
    """What we use of Alembic's `op` (a module proxy, so it has no class to name)."""

    def get_bind(self) -> Connection: ...

    def execute(self, sqltext: str) -> object: ...


_NOTIFY_FUNCTION = f"""
CREATE FUNCTION kring_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('{OUTBOX_CHANNEL}', ''); RETURN NULL; END $$
"""
# Once per statement: a transaction that writes many events wakes the relay once, at commit.
_NOTIFY_TRIGGER = (
    "CREATE TRIGGER outbox_notify AFTER INSERT ON outbox "
    "FOR EACH STATEMENT EXECUTE FUNCTION kring_outbox_notify()"
)


def install_event_tables(connection: Connection) -> None:
    event_metadata.create_all(connection)
    connection.execute(text(_NOTIFY_FUNCTION))
    connection.execute(text(_NOTIFY_TRIGGER))


def create_event_tables(op: _MigrationOps) -> None:
    """Called from a service's first Alembic migration."""
    install_event_tables(op.get_bind())


def drop_event_tables(op: _MigrationOps) -> None:
    op.execute("DROP TRIGGER IF EXISTS outbox_notify ON outbox")
    op.execute("DROP FUNCTION IF EXISTS kring_outbox_notify()")
    event_metadata.drop_all(op.get_bind())
