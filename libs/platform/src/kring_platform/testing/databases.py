"""A fresh Postgres database per test session, migrated the way the stack migrates it."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

DEFAULT_ADMIN_URL = "postgresql://kring@127.0.0.1:55433/postgres"


def admin_url() -> str:
    return os.environ.get("KRING_PG_ADMIN_URL", DEFAULT_ADMIN_URL)


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


def alembic(alembic_ini: Path, database_url: str, *command: str) -> None:
    """Runs an alembic command (e.g. `"downgrade", "base"`) on a service's migrations."""
    subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(alembic_ini), *command],
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
    )


def migrate(alembic_ini: Path, database_url: str) -> None:
    """Applies a service's migrations the way the stack does: `alembic upgrade heads`."""
    alembic(alembic_ini, database_url, "upgrade", "heads")


@contextmanager
def migrated_database(prefix: str, alembic_ini: Path) -> Iterator[str]:
    """A fresh database with the service's migrations applied, dropped afterwards; its URL."""
    url = create_database(prefix)
    try:
        migrate(alembic_ini, url)
        yield url
    finally:
        drop_database(url)
