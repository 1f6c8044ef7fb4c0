"""Repeated warnings: the first through, the rest counted, the count said after the window."""

import logging

from kring_platform.log_throttle import RepeatThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def record(message: str, *args: object, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord("aiokafka.conn", level, __file__, 1, message, args, None)


def test_identical_records_pass_once_per_window_then_say_how_many_were_dropped() -> None:
    clock = Clock()
    throttle = RepeatThrottle(10.0, clock=clock)
    passed = [throttle.filter(record("Unable connect to node with id %s", 1)) for _ in range(4000)]
    assert passed.count(True) == 1
    clock.now = 10.5
    summary = record("Unable connect to node with id %s", 1)
    assert throttle.filter(summary)
    assert summary.getMessage() == (
        "Unable connect to node with id 1 (repeated 3999 times in the last 10 s)"
    )
    assert summary.__dict__["repeated"] == 3999


def test_other_messages_loggers_and_info_lines_are_not_held_back() -> None:
    throttle = RepeatThrottle(10.0, clock=Clock())
    assert throttle.filter(record("node %s down", 1))
    assert throttle.filter(record("node %s down", 2))  # another message
    other = record("node %s down", 1)
    other.name = "kring_platform.relay"
    assert throttle.filter(other)  # another logger
    assert all(throttle.filter(record("request", level=logging.INFO)) for _ in range(3))
