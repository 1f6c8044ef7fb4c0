"""`kringctl status`: per service its health, consumer lag, outbox backlog and DLQ depth."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

import httpx
import typer
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from rich.table import Table
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from kring_contracts.topics import CONSUMER_GROUPS
from kring_ops.config import SERVICES, Deployment, deployment
from kring_ops.errors import fail, first_line, run
from kring_ops.output import age, console
from kring_platform.dlq_replay import pending_dead_letters
from kring_platform.kafka_clients import topic_partitions

# The consumer group each service process runs (billing's workers share theirs).
GROUP_OF = {"billing-worker": "billing-workers"}
# The gateway publishes no events; billing's workers share billing's database.
HAS_OUTBOX = ("contacts", "newsletters", "memberships", "billing")
BACKLOG_SQL = text("SELECT count(*), min(created_at) FROM outbox WHERE published_at IS NULL")


@dataclass
class PartitionLag:
    group: str
    partition: TopicPartition
    committed: int | None
    end: int

    @property
    def lag(self) -> int:
        return self.end - (self.committed or 0)


@dataclass
class ServiceStatus:
    name: str
    health: str = "-"
    backlog: str = "-"
    oldest: str = "-"
    lag: list[PartitionLag] = field(default_factory=list)
    dlq: str = "-"
    healthy: bool = True
    # Why a cell shows `?` or the service is not ready, for the closing line.
    faults: list[str] = field(default_factory=list)


def consumed_topics(group: str) -> list[str]:
    return [topic for topic, groups in CONSUMER_GROUPS.items() if group in groups]


async def _health(url: str | None) -> tuple[str, bool]:
    if url is None:
        return "no URL", True  # not configured here: not counted as down
    try:
        async with httpx.AsyncClient(timeout=5.0) as client:
            response = await client.get(f"{url.rstrip('/')}/health/ready")
    except httpx.TransportError as error:
        return f"down ({type(error).__name__})", False
    return ("ready", True) if response.status_code == 200 else (f"{response.status_code}", False)


async def _backlog(database_url: str) -> tuple[str, str]:
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            count, oldest = (await connection.execute(BACKLOG_SQL)).one()
    finally:
        await engine.dispose()
    since: datetime | None = oldest
    return str(count), age(since)


async def _lag(bootstrap: str, group: str) -> list[PartitionLag]:
    partitions = [
        tp for topic in consumed_topics(group) for tp in await topic_partitions(topic, bootstrap)
    ]
    if not partitions:
        return []
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
    finally:
        await admin.close()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
    return [
        PartitionLag(
            group,
            tp,
            committed[tp].offset if tp in committed and committed[tp].offset >= 0 else None,
            ends[tp],
        )
        for tp in partitions
    ]


async def _dlq_depth(bootstrap: str, group: str) -> int:
    letters = [
        len(await pending_dead_letters(topic, group, bootstrap)) for topic in consumed_topics(group)
    ]
    return sum(letters)


async def _service_status(target: Deployment, name: str) -> ServiceStatus:
    status = ServiceStatus(name)
    status.health, status.healthy = await _health(target.service_url(name))
    if not status.healthy:
        status.faults.append(f"health {status.health}")
    if name in HAS_OUTBOX:
        try:
            status.backlog, status.oldest = await _backlog(target.database_url(name))
        except Exception as error:  # one unreachable database must not hide the others
            status.backlog = f"? ({type(error).__name__})"
            status.faults.append(f"outbox: {_reason(error)}")
    group = GROUP_OF.get(name, name)
    if target.bootstrap_servers and consumed_topics(group):
        try:
            status.lag = await _lag(target.bootstrap_servers, group)
            status.dlq = str(await _dlq_depth(target.bootstrap_servers, group))
        except Exception as error:  # Kafka away: say so in the row
            status.dlq = f"? ({type(error).__name__})"
            status.faults.append(f"Kafka: {_reason(error)}")
    status.healthy = status.healthy and not status.faults
    return status


def _reason(error: Exception) -> str:
    """The first line of what the driver said (a DBAPIError's own error), else the type."""
    return first_line(getattr(error, "orig", None) or error)


async def _all(target: Deployment) -> list[ServiceStatus]:
    return list(await asyncio.gather(*(_service_status(target, name) for name in SERVICES)))


def _lag_total(status: ServiceStatus) -> str:
    return str(sum(p.lag for p in status.lag)) if status.lag else "-"


def status(
    ctx: typer.Context,
    partitions: bool = typer.Option(False, "--partitions", help="Lag of every partition too"),
) -> None:
    """One row per service: health, outbox backlog and its oldest event, consumer lag, DLQ
    depth (exit 1 when a service is not ready or a source could not be read)."""
    statuses = run(_all(deployment(ctx)))
    table = Table("service", "health", "outbox backlog", "oldest unpublished", "lag", "DLQ")
    for row in statuses:
        table.add_row(row.name, row.health, row.backlog, row.oldest, _lag_total(row), row.dlq)
    console.print(table)
    if partitions:
        detail = Table("group", "topic", "partition", "committed", "end", "lag")
        for row in statuses:
            for p in row.lag:
                detail.add_row(
                    p.group,
                    p.partition.topic,
                    str(p.partition.partition),
                    "-" if p.committed is None else str(p.committed),
                    str(p.end),
                    str(p.lag),
                )
        console.print(detail)
    unwell = [f"{row.name} ({'; '.join(row.faults)})" for row in statuses if not row.healthy]
    if unwell:
        raise fail(f"not well: {', '.join(unwell)}")
