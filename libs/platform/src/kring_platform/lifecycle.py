"""Long-running loops: waiting that a shutdown can interrupt, and supervision that restarts
a loop after any failure, so a broker or database hiccup never leaves a service without its
relay or consumer."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def sleep_unless_stopped(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def supervise(
    name: str,
    loop: Callable[[asyncio.Event], Awaitable[None]],
    stop: asyncio.Event,
    *,
    backoff_s: float = 1.0,
    max_backoff_s: float = 30.0,
    failed: Callable[[], object] = lambda: None,
) -> None:
    """Runs `loop(stop)` until `stop` is set, starting it again whenever it fails (and
    calling `failed` each time, e.g. to count restarts)."""
    delay = backoff_s
    while not stop.is_set():
        try:
            await loop(stop)
            delay = backoff_s
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s failed; restarting it in %.1f s", name, delay)
            failed()
            await sleep_unless_stopped(stop, delay)
            delay = min(delay * 2, max_backoff_s)
