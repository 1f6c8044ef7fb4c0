"""A rate limit shared by the sender's connections: mails are spaced evenly, at most
`rate` per second over all of them (no bursts a receiving server might throttle)."""

import asyncio
import time


class Pacer:
    def __init__(self, rate_per_s: float) -> None:
        self._interval = 1.0 / rate_per_s if rate_per_s > 0 else 0.0
        self._next = time.monotonic()

    async def wait_turn(self) -> None:
        if not self._interval:
            return
        now = time.monotonic()
        turn = max(now, self._next)
        self._next = turn + self._interval
        if turn > now:
            await asyncio.sleep(turn - now)
