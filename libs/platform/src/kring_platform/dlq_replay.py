"""Puts the messages a consumer group parked in its DLQ back on their topic, after a fix.

Usage: kring-replay-dlq --topic kring.contacts.v1 --group newsletters [--bootstrap-servers ...]

Replays what the DLQ holds when the command starts, once: its own consumer group remembers
how far it got. A replayed event is applied like any other; note that one whose aggregate
has since moved on to a higher `sequence` is skipped as stale by the consumer.
"""

import argparse
import asyncio
import logging
import os

from aiokafka import AIOKafkaConsumer

from kring_contracts import dlq_topic
from kring_platform.dlq import DLQ_HEADER_PREFIX
from kring_platform.kafka_clients import new_producer, topic_partitions
from kring_platform.settings import ServiceSettings

log = logging.getLogger(__name__)


async def replay_dlq(topic: str, group: str, bootstrap_servers: str) -> int:
    """Re-publishes the DLQ's messages to `topic`; returns how many."""
    source = dlq_topic(topic, group)
    settings = ServiceSettings(service_name="dlq-replay", kafka_bootstrap_servers=bootstrap_servers)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=f"{group}.dlq-replay",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer = new_producer(settings, "dlq-replay")
    await consumer.start()
    await producer.start()
    replayed = 0
    try:
        partitions = await topic_partitions(source, bootstrap_servers)
        consumer.assign(partitions)
        end = await consumer.end_offsets(partitions)
        for tp in partitions:
            committed = await consumer.committed(tp)
            if committed is not None:
                consumer.seek(tp, committed)
            else:
                await consumer.seek_to_beginning(tp)
        remaining = {tp for tp in partitions if await consumer.position(tp) < end[tp]}
        while remaining:
            batches = await consumer.getmany(*remaining, timeout_ms=1000)
            for tp, records in batches.items():
                for record in records:
                    if record.offset >= end[tp]:
                        break
                    headers = [
                        (k, v) for k, v in record.headers if not k.startswith(DLQ_HEADER_PREFIX)
                    ]
                    headers.append(("kring-replayed-from", source.encode()))
                    await producer.send_and_wait(
                        topic, value=record.value, key=record.key, headers=headers
                    )
                    await consumer.commit({tp: record.offset + 1})
                    replayed += 1
            remaining = {tp for tp in remaining if await consumer.position(tp) < end[tp]}
    finally:
        await producer.stop()
        await consumer.stop()
    return replayed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--topic", required=True, help="the original topic, e.g. kring.contacts.v1")
    parser.add_argument("--group", required=True, help="the consumer group whose DLQ to replay")
    parser.add_argument(
        "--bootstrap-servers",
        default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    count = asyncio.run(replay_dlq(args.topic, args.group, args.bootstrap_servers))
    print(f"replayed {count} message(s) from {dlq_topic(args.topic, args.group)} to {args.topic}")


if __name__ == "__main__":
    main()
