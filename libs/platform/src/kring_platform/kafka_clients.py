"""How Kring creates its Kafka clients, in one place."""

import asyncio
import logging
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from aiokafka.helpers import create_ssl_context

from kring_platform.lifecycle import sleep_unless_stopped
from kring_platform.settings import ServiceSettings

log = logging.getLogger(__name__)


def connection_options(settings: ServiceSettings) -> dict[str, Any]:
    """Where the broker is and how to reach it (TLS, SASL): the same for every client."""
    options: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers,
        "security_protocol": settings.kafka_security_protocol,
    }
    if settings.kafka_security_protocol in ("SSL", "SASL_SSL"):
        # Hostname checked; the system's CAs unless a CA file is named.
        cafile = str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None
        options["ssl_context"] = create_ssl_context(cafile=cafile)
    if settings.kafka_sasl_mechanism:
        password = settings.kafka_sasl_password
        options["sasl_mechanism"] = settings.kafka_sasl_mechanism
        options["sasl_plain_username"] = settings.kafka_sasl_username
        options["sasl_plain_password"] = password.get_secret_value() if password else None
    return options


def new_consumer(settings: ServiceSettings, *topics: str, **options: Any) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(*topics, **connection_options(settings), **options)


def new_admin(settings: ServiceSettings, **options: Any) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**connection_options(settings), **options)


def new_producer(settings: ServiceSettings, client_id: str) -> AIOKafkaProducer:
    # Idempotent with acks=all: a retried send is written once, in order, per partition.
    return AIOKafkaProducer(
        **connection_options(settings),
        client_id=f"{settings.service_name}-{client_id}",
        enable_idempotence=True,
        acks="all",
        linger_ms=2,
        request_timeout_ms=30_000,
    )


async def start_with_retry(
    client: AIOKafkaProducer, stop: asyncio.Event, what: str, retry_s: float = 1.0
) -> bool:
    """Starts a Kafka client, retrying while the broker is away. False if stopped first."""
    while not stop.is_set():
        try:
            await client.start()
            return True
        except (KafkaError, OSError) as exc:
            log.warning("%s cannot reach Kafka yet: %s", what, exc)
            await client.stop()
            await sleep_unless_stopped(stop, retry_s)
    return False


async def topic_partitions(topic: str, broker: str | ServiceSettings) -> list[TopicPartition]:
    """Every partition of the topic, in order, as the cluster (bootstrap servers, or the
    settings that say how to reach it) describes it."""
    if isinstance(broker, str):
        broker = ServiceSettings(kafka_bootstrap_servers=broker)
    admin = new_admin(broker)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(TopicPartition(topic, p["partition"]) for p in described["partitions"])
