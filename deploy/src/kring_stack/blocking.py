"""Run a coroutine to completion from synchronous code, even inside a running event loop."""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, or asyncio.run in a helper thread when the caller already runs a loop.

    The stack functions are synchronous so the CLI and test fixtures share them; async tests
    that must not stall their own loop can call them through asyncio.to_thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
