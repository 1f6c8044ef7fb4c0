"""Supervision restarts a failed loop until shutdown (pure asyncio, no I/O)."""

import asyncio

from kring_platform.lifecycle import supervise


async def test_a_failing_loop_is_started_again_until_stopped() -> None:
    stop = asyncio.Event()
    third_run = asyncio.Event()
    runs = 0
    failures: list[str] = []

    async def flaky(stop_: asyncio.Event) -> None:
        nonlocal runs
        runs += 1
        if runs < 3:
            raise ConnectionError("the broker went away")
        third_run.set()
        await stop_.wait()

    task = asyncio.create_task(
        supervise("flaky", flaky, stop, backoff_s=0.01, failed=lambda: failures.append("x"))
    )
    await asyncio.wait_for(third_run.wait(), 2)
    stop.set()
    await asyncio.wait_for(task, 2)
    assert runs == 3
    assert len(failures) == 2
