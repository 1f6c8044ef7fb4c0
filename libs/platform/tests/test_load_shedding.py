"""Load shedding: past its bound a process refuses at once, and a refused request changes
nothing (pure: a small app in-process, no I/O)."""

import asyncio
import logging
import time

import httpx
import pytest
from fastapi import FastAPI

from kring_platform.load_shedding import LoadShedding
from kring_platform.problems import PROBLEM_JSON


def slow_app(
    max_in_flight: int, max_loop_lag_ms: int = 0
) -> tuple[FastAPI, asyncio.Event, list[int]]:
    """An app whose `PUT /items/{n}` records n, then waits until the event is set."""
    app = FastAPI()
    release = asyncio.Event()
    recorded: list[int] = []

    @app.put("/items/{n}")
    async def put_item(n: int) -> dict[str, int]:
        recorded.append(n)
        await release.wait()
        return {"n": n}

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(
        LoadShedding,
        max_in_flight=max_in_flight,
        max_loop_lag_ms=max_loop_lag_ms,
        service="test",
    )
    return app, release, recorded


async def test_past_the_bound_requests_are_refused_at_once_and_change_nothing() -> None:
    app, release, recorded = slow_app(max_in_flight=3)
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        calls = [asyncio.create_task(client.put(f"/items/{n}")) for n in range(10)]
        # The first three are in the app; each of the other seven is answered without waiting.
        started = time.perf_counter()
        while sum(call.done() for call in calls) < 7:
            assert time.perf_counter() - started < 5, "refusals did not come at once"
            await asyncio.sleep(0.01)
        refused = [call.result() for call in calls if call.done()]
        health = await client.get("/health/live")  # exempt, even at capacity
        assert len(recorded) == 3
        release.set()
        answers = await asyncio.gather(*calls)
        after = await client.put("/items/99")  # capacity is back

    assert health.status_code == 200
    assert [answer.status_code for answer in answers].count(200) == 3
    for answer in refused:
        assert answer.status_code == 503
        assert answer.headers["retry-after"] == "1"
        assert answer.headers["content-type"] == PROBLEM_JSON
        assert answer.json()["status"] == 503
    # Only the admitted requests ran: nothing of a refused one happened.
    assert sorted(recorded[:3]) == sorted(a.json()["n"] for a in answers if a.status_code == 200)
    assert after.status_code == 200 and recorded[-1] == 99


async def test_no_bound_lets_everything_in() -> None:
    app, release, recorded = slow_app(max_in_flight=0)
    release.set()
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answers = await asyncio.gather(*(client.put(f"/items/{n}") for n in range(20)))
    assert {answer.status_code for answer in answers} == {200}
    assert len(recorded) == 20


def _block(seconds: float) -> None:
    """A CPU-bound stretch: the loop runs nothing else meanwhile."""
    busy_until = time.perf_counter() + seconds
    while time.perf_counter() < busy_until:
        pass


async def test_while_the_loop_runs_late_requests_are_refused_and_taken_again_after() -> None:
    app, release, recorded = slow_app(max_in_flight=0, max_loop_lag_ms=50)
    release.set()
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.put("/items/1")).status_code == 200  # starts the ticker
        await asyncio.sleep(0.15)  # ticking on time
        _block(0.2)  # one long call: one late tick, no queue
        await asyncio.sleep(0.005)  # the late tick runs first and records the lag
        after_one_long_call = await client.put("/items/2")
        for _ in range(6):  # a backlog: every tick runs late
            _block(0.08)
            await asyncio.sleep(0.001)
        late = await client.put("/items/3")
        health = await client.get("/health/live")
        await asyncio.sleep(0.1)  # ticks on time again
        again = await client.put("/items/4")

    assert after_one_long_call.status_code == 200
    assert late.status_code == 503 and late.headers["retry-after"] == "1"
    assert health.status_code == 200
    assert again.status_code == 200
    assert recorded == [1, 2, 4]  # the refused request did nothing


async def test_refusals_log_one_line_a_second_with_their_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app, release, _ = slow_app(max_in_flight=1)
    transport = httpx.ASGITransport(app)
    caplog.set_level(logging.WARNING, logger="kring_platform.load_shedding")
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        held = asyncio.create_task(client.put("/items/0"))
        await asyncio.sleep(0.05)
        refused = [await client.put(f"/items/{n}") for n in range(1, 41)]
        release.set()
        await held
    assert {answer.status_code for answer in refused} == {503}
    lines = [r.getMessage() for r in caplog.records if "at capacity" in r.getMessage()]
    assert lines == ["at capacity (1 requests in flight): refused with 503, 1 so far"]
