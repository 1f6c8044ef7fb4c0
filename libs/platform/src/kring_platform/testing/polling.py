"""Waiting for the system to converge instead of sleeping a fixed time."""

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, overload

T = TypeVar("T")

# Generous: it only runs out when a test is failing anyway, while on a busy 2-core CI machine
# the e2e services may first work off what earlier tests (imports, 5,000-contact seeds) queued.
DEFAULT_TIMEOUT_S = 120.0


@overload
async def eventually(
    probe: Callable[[], Awaitable[T]],
    *,
    until: Callable[[T], bool] = bool,
    timeout: float = DEFAULT_TIMEOUT_S,
    interval: float = 0.1,
) -> T: ...


@overload
async def eventually(
    probe: Callable[[], T],
    *,
    until: Callable[[T], bool] = bool,
    timeout: float = DEFAULT_TIMEOUT_S,
    interval: float = 0.1,
) -> T: ...


async def eventually(
    probe: Callable[[], Awaitable[T] | T],
    *,
    until: Callable[[T], bool] = bool,
    timeout: float = DEFAULT_TIMEOUT_S,
    interval: float = 0.1,
) -> T:
    """Polls `probe` (sync or async) until its result satisfies `until`; the last result on success.

    Tests wait for the system to converge this way instead of sleeping a fixed time.
    """
    deadline = time.monotonic() + timeout
    while True:
        outcome = probe()
        result: T = await outcome if inspect.isawaitable(outcome) else outcome
        if until(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"did not converge within {timeout} s; last result: {result!r}")
        await asyncio.sleep(interval)
