"""What a running service holds: its database and units of work, its relay, its consumers."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from prometheus_client import Counter

from kring_platform.consumer import EventConsumer
from kring_platform.db import Database
from kring_platform.handlers import EventHandlers
from kring_platform.lifecycle import supervise
from kring_platform.metrics import LOOP_RESTARTS, DlqMetrics, MetricsSource, OutboxMetrics
from kring_platform.relay import OutboxRelay
from kring_platform.settings import ServiceSettings
from kring_platform.unit_of_work import UnitsOfWork

Loop = Callable[[asyncio.Event], Awaitable[None]]
"""Runs until the event is set."""


@dataclass(frozen=True)
class ConsumerSpec:
    group_id: str
    topics: Sequence[str]
    handlers: EventHandlers
    # Events per transaction; None takes the setting `consumer_batch_size`.
    batch_size: int | None = None


class ServiceRuntime:
    def __init__(self, settings: ServiceSettings, consumers: Sequence[ConsumerSpec] = ()) -> None:
        self.settings = settings
        self.database = Database(settings.database_url, pool_size=settings.database_pool_size)
        self.database.trace()
        self.unit_of_work = UnitsOfWork(self.database, settings.event_source)
        self.relay = OutboxRelay(settings, self.database)
        self.consumers = [
            EventConsumer(
                settings,
                self.unit_of_work,
                group_id=spec.group_id,
                topics=spec.topics,
                handlers=spec.handlers,
                batch_size=spec.batch_size,
            )
            for spec in consumers
        ]
        self._loops: dict[str, Loop] = {"outbox-relay": self.relay.run}
        for consumer in self.consumers:
            self._loops[f"consumer-{consumer.group_id}"] = consumer.run
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.dlq_metrics = DlqMetrics(settings, {spec.group_id: spec.topics for spec in consumers})
        self.metrics_sources: list[MetricsSource] = [
            OutboxMetrics(settings.service_name, self.database),
            self.dlq_metrics,
        ]

    def add_metrics_source(self, source: MetricsSource) -> None:
        """A figure read when `/metrics` is scraped (e.g. a run's progress from the database)."""
        self.metrics_sources.append(source)

    def add_loop(self, name: str, loop: Loop) -> None:
        """Another long-running loop (e.g. a scheduler), started, supervised and stopped with
        the relay and the consumers. Call before the app starts."""
        self._loops[name] = loop

    async def start(self) -> None:
        self._stop.clear()
        self._tasks = [
            asyncio.create_task(
                supervise(name, loop, self._stop, failed=self._restarts(name).inc), name=name
            )
            for name, loop in self._loops.items()
        ]

    def _restarts(self, loop: str) -> Counter:
        """The loop's restart counter, made at 0 so that a first failure shows as an increase."""
        return LOOP_RESTARTS.labels(self.settings.service_name, loop)

    async def stop(self, timeout: float = 20.0) -> None:
        """Lets each loop finish the event in hand and commit, then closes the pool."""
        self._stop.set()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.dlq_metrics.close()
        await self.database.dispose()
