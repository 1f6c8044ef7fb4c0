"""The started test stack gives the services what they rely on.

Runs against the stack of `./kring test` (or `./kring up --profile test` plus
`eval "$(./kring env --profile test)"`), found through the environment.
"""

import asyncio
import os
import smtplib
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

import psycopg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from kring_contracts import TOPICS

pytestmark = pytest.mark.integration


def stack_setting(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.skip(f"{name} is not set: run through ./kring test")
    return value


async def test_postgres_answers_with_the_extensions_services_use() -> None:
    async with await psycopg.AsyncConnection.connect(stack_setting("KRING_PG_ADMIN_URL")) as conn:
        cursor = await conn.execute("SELECT current_setting('server_version_num')::int")
        row = await cursor.fetchone()
        assert row is not None and row[0] >= 150000
        cursor = await conn.execute(
            "SELECT name FROM pg_available_extensions WHERE name IN ('pg_trgm', 'unaccent')"
        )
        assert {name for (name,) in await cursor.fetchall()} == {"pg_trgm", "unaccent"}
        cursor = await conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert await cursor.fetchone() == (True,)


async def test_every_contract_topic_exists_with_its_partitions_and_retention() -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=stack_setting("KAFKA_BOOTSTRAP_SERVERS"))
    await admin.start()
    try:
        names = [spec.name for spec in TOPICS]
        described = {t["topic"]: t for t in await admin.describe_topics(names)}
        configs = await admin.describe_configs(
            [
                ConfigResource(ConfigResourceType.TOPIC, name, {"retention.ms": None})
                for name in names
            ]
        )
    finally:
        await admin.close()
    retention = {
        resource["resource_name"]: {
            e["config_names"]: e["config_value"] for e in resource["config_entries"]
        }
        for response in configs
        for resource in response.to_object()["resources"]
    }
    for spec in TOPICS:
        assert described[spec.name]["error_code"] == 0, spec.name
        assert len(described[spec.name]["partitions"]) == spec.partitions, spec.name
        assert retention[spec.name]["retention.ms"] == str(spec.retention_ms), spec.name


def test_smtp_sink_saves_each_message_as_an_eml_file() -> None:
    maildir = Path(stack_setting("KRING_MAILDIR"))
    subject = f"stack check {uuid.uuid4()}"
    message = EmailMessage()
    message["From"] = "secretary@club.example"
    message["To"] = "member@club.example"
    message["Subject"] = subject
    message.set_content("Hallo, dit is een test.")
    with smtplib.SMTP(
        stack_setting("SMTP_HOST"), int(stack_setting("SMTP_PORT")), timeout=10
    ) as smtp:
        smtp.send_message(message, to_addrs=["member@club.example", "hidden@club.example"])

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for eml in maildir.glob("*.eml"):
            text = eml.read_text()
            if subject in text:
                assert "X-Original-To: hidden@club.example" in text
                return
        time.sleep(0.05)
    pytest.fail(f"no .eml with subject {subject!r} in {maildir}")


async def test_kafka_round_trip_with_idempotent_producer_and_manual_commit() -> None:
    bootstrap = stack_setting("KAFKA_BOOTSTRAP_SERVERS")
    topic = f"kring.stack-check.{uuid.uuid4().hex[:12]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"stack-check-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    try:
        await producer.start()
        sent = await producer.send_and_wait(topic, b"contact-added", key=b"contact-1")
        await consumer.start()
        received = await asyncio.wait_for(consumer.getone(), timeout=30)
        assert (received.key, received.value, received.offset) == (
            b"contact-1",
            b"contact-added",
            sent.offset,
        )
        await consumer.commit()
        assert await consumer.committed(TopicPartition(topic, 0)) == sent.offset + 1
    finally:
        await consumer.stop()
        await producer.stop()
        await admin.delete_topics([topic])
        await admin.close()
