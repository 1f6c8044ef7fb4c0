"""Reading back what landed on a topic, for assertions."""

import json
from typing import Any

from kring_platform.testing import read_from_start


async def read_topic(topic: str, expected: int, timeout: float = 20.0) -> list[Any]:
    """Every record of `topic` from the beginning, once `expected` of them arrived."""
    return await read_from_start(
        topic, until=lambda records: len(records) >= expected, timeout=timeout
    )


def envelope_of(record: Any) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(record.value)
    return value
