"""Prometheus metrics: what every service, the gateway and each billing worker expose at
`/metrics` (text format), all named `kring_*` and labelled with `service`.

Counters and histograms move as work happens (HTTP requests, published events); the figures
that live in the database or the broker (outbox backlog, DLQ depth, run and send progress)
are read when Prometheus scrapes, by the `MetricsSource`s a runtime holds. Each process has
its own registry content: billing workers are separate processes, each scraped on its own
port (no multi-process mode is needed: one uvicorn worker per process).

Labels stay bounded: routes by template, partitions of known topics, only runs and
campaigns in progress.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from sqlalchemy import text

from kring_contracts import dlq_topic
from kring_platform.db import Database
from kring_platform.kafka_clients import new_admin, new_consumer
from kring_platform.settings import ServiceSettings

log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"

MetricsSource = Callable[[], Awaitable[None]]
"""Reads a figure (a database query, broker offsets) and sets its gauges; runs per scrape."""

HTTP_REQUESTS = Counter(
    "kring_http_requests",
    "HTTP requests answered, by route template and status.",
    ["service", "method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "kring_http_request_duration_seconds",
    "Time from a request's start to its last response byte, by route template.",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
CONSUMER_LAG = Gauge(
    "kring_consumer_lag",
    "Messages behind the partition's high watermark, per consumer group and partition.",
    ["service", "group", "topic", "partition"],
)
OUTBOX_BACKLOG = Gauge(
    "kring_outbox_backlog",
    "Unpublished outbox rows (counted up to 100,000).",
    ["service"],
)
OUTBOX_OLDEST_AGE = Gauge(
    "kring_outbox_oldest_age_seconds",
    "Age of the oldest unpublished outbox row; 0 when none waits.",
    ["service"],
)
RELAY_PUBLISHED = Counter(
    "kring_relay_published",
    "Outbox events the relay published (acknowledged by Kafka).",
    ["service"],
)
RELAY_FAILURES = Counter(
    "kring_relay_publish_failures",
    "Batches whose publishing failed part-way (sent again later).",
    ["service"],
)
DLQ_DEPTH = Gauge(
    "kring_dlq_depth",
    "Messages parked in <topic>.dlq.<group> and not yet replayed.",
    ["service", "group", "topic"],
)
CONSUMED = Counter(
    "kring_consumer_messages",
    "Messages a consumer dealt with, by outcome.",
    ["service", "group", "outcome"],
)
LOOP_RESTARTS = Counter(
    "kring_loop_restarts",
    "Times a long-running loop (the relay, a consumer, a scheduler) failed and was restarted.",
    ["service", "loop"],
)
CONTRIBUTION_RUN_ITEMS_DONE = Gauge(
    "kring_contribution_run_items_done",
    "Work items of a recent contribution run that the workers finished.",
    ["service", "run"],
)
CONTRIBUTION_RUN_ITEMS_PLANNED = Gauge(
    "kring_contribution_run_items_planned",
    "Work items a recent contribution run was split into.",
    ["service", "run"],
)
CONTRIBUTION_RUN_INVOICES_PER_SECOND = Gauge(
    "kring_contribution_run_invoices_per_second",
    "Invoices a recent contribution run made per second since it started.",
    ["service", "run"],
)
CAMPAIGN_RECIPIENTS = Gauge(
    "kring_newsletter_campaign_recipients",
    "Recipients of a campaign being sent.",
    ["service", "campaign"],
)
CAMPAIGN_SENT = Gauge(
    "kring_newsletter_campaign_sent",
    "Mails of a campaign being sent that the SMTP relay accepted.",
    ["service", "campaign"],
)
CAMPAIGN_FAILED = Gauge(
    "kring_newsletter_campaign_failed",
    "Mails of a campaign being sent that failed for good.",
    ["service", "campaign"],
)
METRICS_SOURCE_ERRORS = Counter(
    "kring_metrics_source_errors",
    "Scrapes in which a figure could not be read (database or broker away, or too slow).",
    ["service", "source"],
)


class Series:
    """A gauge's series that one source owns: setting a new snapshot removes the label sets
    that are gone (a revoked partition, a finished run), so stale figures do not linger."""

    def __init__(self, gauge: Gauge) -> None:
        self.gauge = gauge
        self._labels: set[tuple[str, ...]] = set()

    def replace(self, values: Mapping[tuple[str, ...], float]) -> None:
        for labels in self._labels - values.keys():
            self.gauge.remove(*labels)
        for labels, value in values.items():
            self.gauge.labels(*labels).set(value)
        self._labels = set(values)


async def refresh(service: str, sources: Iterable[MetricsSource], timeout_s: float = 3.0) -> None:
    """Runs every source at once; one that fails or is slow keeps its last figures (a
    database outage must not make the scrape fail) and counts in
    `kring_metrics_source_errors_total`."""

    async def guarded(source: MetricsSource) -> None:
        try:
            await asyncio.wait_for(source(), timeout_s)
        except Exception as exc:
            name = type(source).__name__
            METRICS_SOURCE_ERRORS.labels(service, name).inc()
            log.warning(
                "a metrics source failed; its figures are stale",
                extra={"metrics_source": name, "error": repr(exc)},
            )

    await asyncio.gather(*(guarded(source) for source in sources))


def exposition() -> tuple[bytes, str]:
    """The registry in Prometheus text format, with its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


# Counted through the partial index of unpublished rows, capped: a huge backlog is alarming
# at 100,000 already, and counting millions on every scrape would add load when it hurts.
_OUTBOX_BACKLOG_SQL = text(
    """
    SELECT
        (SELECT count(*) FROM (
            SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT 100000) AS waiting),
        (SELECT extract(epoch FROM now() - created_at) FROM outbox
            WHERE published_at IS NULL ORDER BY position LIMIT 1)
    """
)


class OutboxMetrics:
    """`kring_outbox_backlog` and `kring_outbox_oldest_age_seconds`, read at scrape time."""

    def __init__(self, service: str, database: Database) -> None:
        self.service = service
        self.database = database

    async def __call__(self) -> None:
        async with self.database.transaction() as session:
            backlog, oldest_age = (await session.execute(_OUTBOX_BACKLOG_SQL)).one()
        OUTBOX_BACKLOG.labels(self.service).set(backlog)
        OUTBOX_OLDEST_AGE.labels(self.service).set(float(oldest_age or 0))


class DlqMetrics:
    """`kring_dlq_depth` for each consumer group's dead-letter topics: what was parked and not
    yet replayed (the end offset less the replay tool's committed offset, else the start).
    Asks the broker at most every `min_interval_s`; its clients stay open between scrapes."""

    def __init__(
        self,
        settings: ServiceSettings,
        groups: Mapping[str, Sequence[str]],
        min_interval_s: float = 10.0,
    ) -> None:
        self.settings = settings
        self.service = settings.service_name
        self.groups = groups  # consumer group -> the topics it consumes
        self.min_interval_s = min_interval_s
        self._consumer: AIOKafkaConsumer | None = None
        self._admin: AIOKafkaAdminClient | None = None
        self._read_at = -float("inf")

    async def __call__(self) -> None:
        if not self.groups or time.monotonic() - self._read_at < self.min_interval_s:
            return
        consumer, admin = await self._clients()
        dead_letter_topics = [
            dlq_topic(topic, group) for group, topics in self.groups.items() for topic in topics
        ]
        partitions = {
            described["topic"]: [
                TopicPartition(described["topic"], p["partition"]) for p in described["partitions"]
            ]
            for described in await admin.describe_topics(dead_letter_topics)
        }
        for group, topics in self.groups.items():
            replayed = await admin.list_consumer_group_offsets(f"{group}.dlq-replay")
            for topic in topics:
                parked = partitions.get(dlq_topic(topic, group), [])
                depth = await _dlq_depth(consumer, parked, replayed)
                DLQ_DEPTH.labels(self.service, group, topic).set(depth)
        self._read_at = time.monotonic()

    async def _clients(self) -> tuple[AIOKafkaConsumer, AIOKafkaAdminClient]:
        if self._consumer is None or self._admin is None:
            # The service's own connection settings: a managed broker's TLS and SASL too.
            consumer = new_consumer(
                self.settings, client_id=f"{self.service}-metrics", enable_auto_commit=False
            )
            admin = new_admin(self.settings, client_id=f"{self.service}-metrics")
            await consumer.start()
            try:
                await admin.start()
            except BaseException:
                await consumer.stop()
                raise
            self._consumer, self._admin = consumer, admin
        return self._consumer, self._admin

    async def close(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
        if self._admin is not None:
            await self._admin.close()
        self._consumer = self._admin = None


async def _dlq_depth(
    consumer: AIOKafkaConsumer,
    partitions: Sequence[TopicPartition],
    replayed: Mapping[TopicPartition, Any],
) -> int:
    if not partitions:
        return 0
    ends = await consumer.end_offsets(partitions)
    starts = await consumer.beginning_offsets(partitions)
    depth = 0
    for tp in partitions:
        done = replayed.get(tp)
        first_waiting = max(starts[tp], done.offset if done is not None else -1)
        depth += max(ends[tp] - first_waiting, 0)
    return depth
