"""Following a job on a polled endpoint with a rich progress bar."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

Snapshot = dict[str, Any]


async def follow(
    label: str,
    fetch: Callable[[], Awaitable[Snapshot]],
    counts: Callable[[Snapshot], tuple[int, int]],
    finished: Callable[[Snapshot], bool],
    *,
    console: Console,
    interval_s: float = 0.5,
    timeout_s: float | None = None,
) -> Snapshot:
    """Polls `fetch` until `finished`, showing (done, total) from `counts`; the last snapshot."""
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.percentage:>3.0f} %"),
        TimeElapsedColumn(),
    )
    async with asyncio.timeout(timeout_s):
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task(label, total=None)
            while True:
                snapshot = await fetch()
                done, total = counts(snapshot)
                progress.update(task, completed=done, total=max(total, done) or None)
                if finished(snapshot):
                    return snapshot
                await asyncio.sleep(interval_s)
