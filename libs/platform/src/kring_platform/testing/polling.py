"""Waiting for the system to converge instead of sleeping a fixed time."""

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, overload

T = TypeVar("T")


@overload
async def eventually(
    probe: Callable[[], Awaitable[T]],
    *,
    until: Callable[[T], bool] = bool,
    timeout: float = 30.0,
    interval: float = 0.1,
) -> T: ...


@overload
async def eventually(
    probe: Callable[[], T],
    *,
    until: Callable[[T], bool] = bool,
    timeout: float = 30.0,
    interval: float = 0.1,
) -> T: ...


async def eventually(
    probe: Callable[[], Awaitable[T] | T],
    *,
    until: Callable[[T], bool] = bool,
    timeout: float = 30.0,
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
