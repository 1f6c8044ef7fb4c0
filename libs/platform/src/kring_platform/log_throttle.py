"""Repeated warnings and errors are written once per window, then summarised.

An outage makes libraries log the same line over and over (aiokafka wrote ~4,000 "Unable
connect to node" lines in a few seconds of a broker restart). `RepeatThrottle`, installed on
the log handler by `setup_logging`, lets the first record of each (logger, level, message)
through, drops identical ones for `window_s` seconds, and the first one after the window
carries how many were dropped: "... (repeated 3999 times in the last 10 s)". Records below
WARNING (access lines, progress) are never held back.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_WINDOW_S = 10.0
# At most this many distinct messages are remembered; older ones are forgotten first.
MAX_KEYS = 1000

Key = tuple[str, int, str]


@dataclass
class _Seen:
    since: float
    dropped: int = 0


class RepeatThrottle(logging.Filter):
    def __init__(
        self,
        window_s: float = DEFAULT_WINDOW_S,
        *,
        clock: Callable[[], float] = time.monotonic,
        min_level: int = logging.WARNING,
    ) -> None:
        super().__init__()
        self.window_s = window_s
        self.min_level = min_level
        self._clock = clock
        self._seen: dict[Key, _Seen] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < self.min_level:
            return True
        key = (record.name, record.levelno, record.getMessage())
        now = self._clock()
        with self._lock:
            seen = self._seen.get(key)
            if seen is not None and now - seen.since < self.window_s:
                seen.dropped += 1
                return False
            self._remember(key, now)
        if seen is not None and seen.dropped:
            _note_repeats(record, seen.dropped, now - seen.since)
        return True

    def _remember(self, key: Key, now: float) -> None:
        self._seen.pop(key, None)  # re-inserted last: the dict keeps the newest at its end
        self._seen[key] = _Seen(since=now)
        while len(self._seen) > MAX_KEYS:
            del self._seen[next(iter(self._seen))]


def _note_repeats(record: logging.LogRecord, dropped: int, seconds: float) -> None:
    # The message is rendered once here, so its arguments are not applied a second time.
    record.msg = f"{record.getMessage()} (repeated {dropped} times in the last {seconds:.0f} s)"
    record.args = None
    record.repeated = dropped  # a named field too, for JSON logs that pick up extras
