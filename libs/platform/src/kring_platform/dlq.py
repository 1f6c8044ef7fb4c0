"""Dead-letter topics: where a consumer parks a message it cannot apply, with the reason."""

import traceback
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from aiokafka.structs import ConsumerRecord

from kring_contracts import dlq_topic

DLQ_HEADER_PREFIX = "kring-dlq-"


def dlq_headers(
    record: ConsumerRecord, consumer_group: str, error: BaseException, attempts: int
) -> list[tuple[str, bytes]]:
    reason = "".join(traceback.format_exception_only(type(error), error)).strip()
    fields = {
        "error": reason[:2000],
        "error-type": type(error).__qualname__,
        "original-topic": record.topic,
        "original-partition": str(record.partition),
        "original-offset": str(record.offset),
        "consumer-group": consumer_group,
        "attempts": str(attempts),
        "failed-at": datetime.now(UTC).isoformat(),
    }
    original = [(k, v) for k, v in record.headers or () if not k.startswith(DLQ_HEADER_PREFIX)]
    return original + [(DLQ_HEADER_PREFIX + k, v.encode()) for k, v in fields.items()]


async def send_to_dlq(
    producer: AIOKafkaProducer,
    record: ConsumerRecord,
    consumer_group: str,
    error: BaseException,
    attempts: int,
) -> None:
    await producer.send_and_wait(
        dlq_topic(record.topic, consumer_group),
        value=record.value,
        key=record.key,
        headers=dlq_headers(record, consumer_group, error, attempts),
    )
