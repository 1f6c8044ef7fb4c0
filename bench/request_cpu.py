"""Benchmark: CPU per group-member PUT in-process, beside its floor (issue #17).

The contacts app runs in this process (no server, no relay, no consumers) and is called over
httpx's ASGI transport with a signed identity, as the gateway calls it. For each request
`PUT /groups/{g}/members/{c}` (a new member each time: the 201 path, with its event) it
counts this process's CPU time (`time.process_time`). The floor, in the same run: the very SQL
statements one PUT sent, captured from the driver's cursor, replayed through the bare psycopg
connection for the next contacts (fresh ids), in one transaction each.

    eval "$(./kring env --profile test)" && uv run python bench/request_cpu.py [--requests 500]

Needs only Postgres (`KRING_PG_ADMIN_URL`); the database it makes is dropped at the end.
"""

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
from proc_cpu import CpuFigure, process_cpu_s, timed
from sqlalchemy import event

from kring_contacts.main import create_app
from kring_contacts.settings import Settings
from kring_platform.identity import CallerIdentity, sign_identity
from kring_platform.testing import migrated_database
from kring_platform.testing.apps import runtime_of

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "services/contacts/alembic.ini"
KEY = b"bench-identity-key-0123456789"
CALLER = CallerIdentity(user_id="bench", roles=("admin",), request_id="bench")
Statement = tuple[str, Any]


class Captured:
    """The statements the app's engine sends while `recording` is on."""

    def __init__(self) -> None:
        self.recording = False
        self.statements: list[Statement] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if self.recording:
            self.statements.append((statement, params))


def _with_ids(value: Any, ids: dict[uuid.UUID, uuid.UUID]) -> Any:
    """`value` with the captured contact's id swapped for the next one's, and every other
    UUID (outbox and history row ids) fresh, so a replayed statement writes new rows."""
    if isinstance(value, uuid.UUID):
        return ids.get(value) or uuid.uuid4()
    if isinstance(value, list | tuple):
        return type(value)(_with_ids(item, ids) for item in value)
    if isinstance(value, dict):
        return {key: _with_ids(item, ids) for key, item in value.items()}
    return value


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument(
        "--servers",
        nargs="*",
        default=[],
        metavar="LOOP/HTTP",
        help="also serve the app with uvicorn (e.g. asyncio/h11 uvloop/httptools) and count the "
        "server process's CPU per PUT over HTTP (its relay publishes to KAFKA_BOOTSTRAP_SERVERS)",
    )
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a log line per call is not the app's
    count = args.requests
    with migrated_database("bench_request_cpu", ALEMBIC_INI) as url:
        settings = Settings(
            database_url=url, kafka_bootstrap_servers="127.0.0.1:1", gateway_identity_key=KEY
        )
        app = create_app(settings)
        engine = runtime_of(app).database.engine
        captured = Captured()
        event.listen(engine.sync_engine, "before_cursor_execute", captured)
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://contacts") as client:
            client.headers["Kring-Identity"] = sign_identity(KEY, CALLER, ttl_s=3600)
            group = (await client.post("/groups", json={"name": "bench"})).json()["id"]
            people = [
                (
                    await client.post(
                        "/contacts", json={"first_name": "Bench", "last_name": f"P{i}"}
                    )
                ).json()["id"]
                for i in range(2 * count + 2)
            ]

            async def put(i: int) -> None:
                response = await client.put(f"/groups/{group}/members/{people[i]}")
                if response.status_code != 201:
                    raise RuntimeError(f"{response.status_code}: {response.text}")

            await timed("warm-up", 20, put)
            captured.recording = True
            await put(20)
            captured.recording = False
            figures = [await timed("PUT member (201, new)", count, lambda i: put(21 + i))]

            async def put_again(i: int) -> None:
                response = await client.put(f"/groups/{group}/members/{people[21 + i]}")
                if response.status_code != 200:
                    raise RuntimeError(f"{response.status_code}: {response.text}")

            figures.append(await timed("PUT member again (200, unchanged)", count, put_again))
            for server in args.servers:
                name = f"{server} {uuid.uuid4().hex[:8]}"
                other_group = (await client.post("/groups", json={"name": name})).json()["id"]
                figures.append(await _served(url, server, other_group, people[: 2 * count]))
        statements = captured.statements
        keep = {uuid.UUID(group): uuid.UUID(group)}
        figures.append(
            await _floor(url, statements, keep, uuid.UUID(people[20]), people[21 + count :])
        )
        await engine.dispose()
    print(f"one PUT sent {len(statements)} statements:")
    for statement, _ in statements:
        print("   ", " ".join(statement.split())[:110])
    for figure in figures:
        print(figure.line())


async def _served(url: str, server: str, group: str, people: list[str]) -> CpuFigure:
    """PUTs over HTTP to the app served by uvicorn with `server`'s loop and HTTP parser, four
    at a time; the CPU is the server process's (its relay included), from /proc."""
    loop, http = server.split("/")
    port = 18_000 + os.getpid() % 1000
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "GATEWAY_IDENTITY_KEY": KEY.decode(),
        "CONSUMER_GROUP": f"bench-{uuid.uuid4().hex[:8]}",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "uvicorn", "kring_contacts.main:app", "--port", str(port)]
    command += ["--loop", loop, "--http", http, "--no-access-log"]
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stderr=asyncio.subprocess.DEVNULL
    )
    headers = {"Kring-Identity": sign_identity(KEY, CALLER, ttl_s=3600)}
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=30
        ) as client:
            await _until_live(client)

            async def put(i: int) -> None:
                if i % 4 == 0:  # four at a time
                    calls = (
                        client.put(f"/groups/{group}/members/{person}")
                        for person in people[i : i + 4]
                    )
                    for response in await asyncio.gather(*calls):
                        if response.status_code != 201:
                            raise RuntimeError(f"{response.status_code}: {response.text}")

            await timed("warm-up", 40, put)
            cpu, wall = process_cpu_s(process.pid), time.perf_counter()
            for i in range(40, len(people), 4):
                await put(i)
            requests = len(people) - 40
            return CpuFigure(
                f"served, {server}: server process",
                requests,
                process_cpu_s(process.pid) - cpu,
                time.perf_counter() - wall,
            )
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)


async def _until_live(client: httpx.AsyncClient) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            if (await client.get("/health/live")).status_code == 200:
                return
        await asyncio.sleep(0.2)
    raise RuntimeError("uvicorn did not come up within 60 s")


async def _floor(
    url: str,
    statements: list[Statement],
    keep: dict[uuid.UUID, uuid.UUID],
    captured_contact: uuid.UUID,
    contacts: list[str],
) -> CpuFigure:
    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    async with await psycopg.AsyncConnection.connect(dsn) as conn:

        async def replay(i: int) -> None:
            ids = {**keep, captured_contact: uuid.UUID(contacts[i])}
            async with conn.cursor() as cursor:
                for statement, params in statements:
                    await cursor.execute(statement, _with_ids(params, ids))
            await conn.commit()

        await timed("floor warm-up", 10, replay)
        return await timed(
            "floor: the same SQL, raw psycopg", len(contacts) - 10, lambda i: replay(10 + i)
        )


if __name__ == "__main__":
    asyncio.run(main())
