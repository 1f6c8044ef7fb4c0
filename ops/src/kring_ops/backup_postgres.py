"""The Postgres side of backups: one consistent snapshot per service database, taken while
no consumer can commit an event, then `pg_dump`/`pg_restore` of each."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

# Every service's database, by the name the stack gives it (kring_stack.services).
SERVICE_DATABASES = ("contacts", "newsletters", "memberships", "billing", "gateway")

# How long the barrier waits for a consumer's open transaction before it gives up.
LOCK_TIMEOUT = "30s"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL (`postgresql+psycopg://`) as libpq and pg_dump take it."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+')[0]}{sep}{rest}" if sep else url


def pg_tool(name: str) -> str:
    """pg_dump/pg_restore: from KRING_PG_BIN, else PATH, else the newest Debian install."""
    if explicit := os.environ.get("KRING_PG_BIN"):
        return str(Path(explicit) / name)
    if found := shutil.which(name):
        return found
    installed = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if installed:
        return str(installed[-1])
    raise BackupError(f"{name} not found: install the Postgres client or set KRING_PG_BIN")


def tool_version(tool: str) -> str:
    return subprocess.run(
        [tool, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


@dataclass(frozen=True)
class DatabaseState:
    """What the snapshot of one database says, besides its dump."""

    snapshot: str
    server_version: str
    alembic_heads: list[str]
    outbox: dict[str, Any]
    inbox: dict[str, int]


def _has_table(conn: psycopg.Connection[Any], table: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone() == (True,)


def _alembic_heads(conn: psycopg.Connection[Any]) -> list[str]:
    if not _has_table(conn, "alembic_version"):
        return []
    return sorted(row[0] for row in conn.execute("SELECT version_num FROM alembic_version"))


def _outbox_positions(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    if not _has_table(conn, "outbox"):
        return {}
    row = conn.execute(
        """SELECT max(position), count(*) FILTER (WHERE published_at IS NULL),
                  min(position) FILTER (WHERE published_at IS NULL),
                  max(published_at)
           FROM outbox"""
    ).fetchone()
    assert row is not None
    last_published: datetime | None = row[3]
    return {
        "last_position": row[0],
        "unpublished": row[1],
        "first_unpublished_position": row[2],
        "last_published_at": last_published.isoformat() if last_published else None,
    }


def _inbox_counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    if not _has_table(conn, "inbox"):
        return {}
    rows = conn.execute("SELECT consumer_group, count(*) FROM inbox GROUP BY 1 ORDER BY 1")
    return {group: count for group, count in rows}


def _lock_inbox(stack: ExitStack, url: str) -> None:
    """Holds SHARE on the inbox until the stack closes: consumers, which insert into it first
    thing in every transaction that applies an event, wait; open ones finish first."""
    conn = stack.enter_context(psycopg.connect(url))
    conn.execute(sql.SQL("SET lock_timeout = {}").format(sql.Literal(LOCK_TIMEOUT)))
    if _has_table(conn, "inbox"):
        conn.execute("LOCK TABLE inbox IN SHARE MODE")


def _export_snapshot(stack: ExitStack, url: str) -> tuple[psycopg.Connection[Any], str]:
    conn = stack.enter_context(psycopg.connect(url, autocommit=True))
    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    row = conn.execute("SELECT pg_export_snapshot()").fetchone()
    assert row is not None
    return conn, str(row[0])


@contextmanager
def consistent_snapshots(urls: Mapping[str, str]) -> Iterator[dict[str, DatabaseState]]:
    """One exported snapshot per database, all taken while every inbox is locked, so all
    snapshots hold the same set of applied events: no consumer's dump can hold an event that
    its producer's dump lacks. The locks go at once; the snapshots live until the block ends
    (pg_dump --snapshot needs the exporting transaction open)."""
    with ExitStack() as snapshots:
        exported: dict[str, tuple[psycopg.Connection[Any], str]] = {}
        try:
            with ExitStack() as locks:
                for url in urls.values():
                    _lock_inbox(locks, url)
                for name, url in urls.items():
                    exported[name] = _export_snapshot(snapshots, url)
        except psycopg.errors.LockNotAvailable as exc:
            raise BackupError(f"a consumer held its inbox longer than {LOCK_TIMEOUT}") from exc
        yield {
            name: DatabaseState(
                snapshot=snapshot,
                server_version=str(conn.info.parameter_status("server_version")),
                alembic_heads=_alembic_heads(conn),
                outbox=_outbox_positions(conn),
                inbox=_inbox_counts(conn),
            )
            for name, (conn, snapshot) in exported.items()
        }


def dump_command(url: str, snapshot: str, target: Path) -> list[str]:
    return [
        pg_tool("pg_dump"),
        "--format=custom",
        f"--snapshot={snapshot}",
        f"--file={target}",
        f"--dbname={url}",
    ]


def restore_command(url: str, source: Path) -> list[str]:
    # Objects belong to whoever restores (the service's role), not to the backup's roles.
    return [
        pg_tool("pg_restore"),
        "--no-owner",
        "--no-acl",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={url}",
        str(source),
    ]


def _admin_url(url: str) -> str:
    return make_conninfo(url, dbname="postgres")


def _database_name(url: str) -> str:
    return str(conninfo_to_dict(url)["dbname"])


def user_relations(url: str) -> int | None:
    """How many tables, views and sequences the database holds outside the system schemas;
    None if it does not exist."""
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                """SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
                     AND n.nspname NOT LIKE 'pg_toast%%' AND c.relkind IN ('r', 'v', 'S', 'p')"""
            ).fetchone()
    except psycopg.OperationalError as exc:
        if "does not exist" in str(exc):
            return None
        raise
    assert row is not None
    return int(row[0])


def recreate_database(url: str, *, drop: bool) -> None:
    """Creates the (dropped, if `drop`) database through the cluster's `postgres` database."""
    name = sql.Identifier(_database_name(url))
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        if drop:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def republish_since(url: str, cutoff: datetime) -> int:
    """Marks the events published since `cutoff` unpublished again, so the relay sends them
    to the fresh topics once the service starts; consumers that applied them already skip
    them by their inbox. Returns how many."""
    with psycopg.connect(url) as conn:
        if not _has_table(conn, "outbox"):
            return 0
        cursor = conn.execute(
            "UPDATE outbox SET published_at = NULL WHERE published_at >= %s", (cutoff,)
        )
        return cursor.rowcount
