"""Helpers for the services' integration tests against the real Postgres and Kafka that
`./kring test` starts (its settings come from the environment: `KRING_PG_ADMIN_URL`,
`KAFKA_BOOTSTRAP_SERVERS`)."""

import asyncio
import inspect
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar, overload

import psycopg

T = TypeVar("T")

DEFAULT_ADMIN_URL = "postgresql://kring@127.0.0.1:55433/postgres"


def admin_url() -> str:
    return os.environ.get("KRING_PG_ADMIN_URL", DEFAULT_ADMIN_URL)


def kafka_bootstrap_servers() -> str:
    return os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")


def create_database(prefix: str) -> str:
    """Creates a fresh, uniquely named database; returns its SQLAlchemy (psycopg) URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url().rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


def drop_database(database_url: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(alembic_ini: Path, database_url: str) -> None:
    """Applies a service's migrations the way the stack does: `alembic upgrade head`."""
    subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(alembic_ini), "upgrade", "head"],
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
    )


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
