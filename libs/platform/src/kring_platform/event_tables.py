"""The tables of the event plumbing, present in every service's database.

`outbox` keeps the column names of Debezium's outbox event router (`id`, `aggregatetype`,
`aggregateid`, `type`, `payload`, `tracingspancontext`), so an operator at scale can swap
our relay for Debezium reading the WAL (route by `topic`, key by `messagekey`).
"""

from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.engine import Connection

OUTBOX_CHANNEL = "kring_outbox"

event_metadata = sa.MetaData()

outbox = sa.Table(
    "outbox",
    event_metadata,
    # Commit order within an aggregate: writers lock the aggregate row first.
    sa.Column("position", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("id", UUID(as_uuid=True), nullable=False, unique=True),
    sa.Column("aggregatetype", sa.String(100), nullable=False),
    sa.Column("aggregateid", sa.String(100), nullable=False),
    sa.Column("type", sa.String(200), nullable=False),
    sa.Column("topic", sa.String(200), nullable=False),
    sa.Column("messagekey", sa.String(100), nullable=False),
    sa.Column("payload", JSONB, nullable=False),
    sa.Column("tracingspancontext", sa.Text, nullable=True),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("outbox_unpublished", "position", postgresql_where=sa.text("published_at IS NULL")),
)

inbox = sa.Table(
    "inbox",
    event_metadata,
    sa.Column("event_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("consumer_group", sa.String(100), nullable=False),
    sa.Column("type", sa.String(200), nullable=False),
    sa.Column(
        "received_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)

applied_sequences = sa.Table(
    "applied_sequences",
    event_metadata,
    sa.Column("source", sa.String(200), primary_key=True),
    sa.Column("subject", sa.String(100), primary_key=True),
    sa.Column("sequence", sa.BigInteger, nullable=False),
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
    connection.execute(sa.text(_NOTIFY_FUNCTION))
    connection.execute(sa.text(_NOTIFY_TRIGGER))


def create_event_tables(op: _MigrationOps) -> None:
    """Called from a service's first Alembic migration."""
    install_event_tables(op.get_bind())


def drop_event_tables(op: _MigrationOps) -> None:
    op.execute("DROP TRIGGER IF EXISTS outbox_notify ON outbox")
    op.execute("DROP FUNCTION IF EXISTS kring_outbox_notify()")
    event_metadata.drop_all(op.get_bind())
