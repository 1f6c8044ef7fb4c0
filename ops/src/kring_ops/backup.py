"""`kringctl backup <dir>` and `kringctl restore <dir>`: every service database dumped from
snapshots that agree on the applied events, with a manifest of the Kafka offsets; restored
into a fresh stack whose outboxes republish what a consumer may have missed.

Why a restore neither loses nor doubles events: deploy/README.md, "Backups and restore".
"""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import psycopg
import typer
from aiokafka.errors import KafkaError
from rich.progress import (
    FileSizeColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from kring_ops.backup_kafka import read_kafka_state, topics_not_fresh
from kring_ops.backup_manifest import (
    MANIFEST,
    DatabaseEntry,
    KafkaEntry,
    Manifest,
    republish_from,
    sha256_of,
)
from kring_ops.backup_postgres import (
    SERVICE_DATABASES,
    BackupError,
    consistent_snapshots,
    dump_command,
    libpq_url,
    pg_tool,
    recreate_database,
    republish_since,
    restore_command,
    tool_version,
    user_relations,
)
from kring_ops.config import deployment
from kring_ops.errors import UNREACHABLE, OpsError, fail
from kring_ops.output import console


def _database_urls(ctx: typer.Context) -> dict[str, str]:
    """Each service database's URL as kringctl is configured (see kring_ops.config)."""
    found = deployment(ctx)
    return {name: libpq_url(found.database_url(name)) for name in SERVICE_DATABASES}


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        FileSizeColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def _run_watched(
    command: list[str], progress: Progress, task: TaskID, grows: Path | None = None
) -> None:
    """Runs a Postgres tool, showing the size of the file it writes as it grows."""
    # Its messages go to a file: a pipe nobody reads while it runs could fill and stall it.
    with tempfile.TemporaryFile() as messages:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=messages)
        while process.poll() is None:
            if grows is not None and grows.exists():
                progress.update(task, completed=grows.stat().st_size)
            time.sleep(0.1)
        messages.seek(0)
        stderr = messages.read().decode(errors="replace").strip()
    if process.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({process.returncode}): {stderr}")


def run_backup(
    folder: Path, urls: Mapping[str, str], bootstrap: str, *, margin_s: float
) -> Manifest:
    """Reads the Kafka offsets first: a committed offset then names only events applied
    before the snapshots, which come next (all inboxes locked), then dumps each database."""
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / MANIFEST).exists():
        raise BackupError(f"{folder} already holds a backup; choose an empty folder")
    started_at = datetime.now(UTC)
    pg_dump = pg_tool("pg_dump")
    kafka = asyncio.run(read_kafka_state(bootstrap))
    barrier_started = time.monotonic()
    entries: dict[str, DatabaseEntry] = {}
    with consistent_snapshots(urls) as states, _progress() as progress:
        barrier_ms = (time.monotonic() - barrier_started) * 1000
        tasks = {name: progress.add_task(f"dump {name}", total=None) for name in urls}
        for name, url in urls.items():
            target = folder / f"{name}.dump"
            state = states[name]
            _run_watched(dump_command(url, state.snapshot, target), progress, tasks[name], target)
            size = target.stat().st_size
            progress.update(tasks[name], total=size, completed=size)
            entries[name] = DatabaseEntry(
                file=target.name,
                sha256=sha256_of(target),
                bytes=size,
                server_version=state.server_version,
                alembic_heads=state.alembic_heads,
                outbox=state.outbox,
                inbox=state.inbox,
            )
    manifest = Manifest(
        started_at=started_at,
        finished_at=datetime.now(UTC),
        kring_ops_version=version("kring-ops"),
        pg_dump_version=tool_version(pg_dump),
        barrier_ms=round(barrier_ms, 1),
        republish_from=republish_from(kafka.read_at, kafka.oldest_unconsumed, margin_s),
        databases=entries,
        kafka=KafkaEntry(
            bootstrap_servers=bootstrap,
            read_at=kafka.read_at,
            topics=kafka.topics,
            consumer_groups=kafka.groups,
            oldest_unconsumed=kafka.oldest_unconsumed,
        ),
    )
    manifest.write(folder)
    return manifest


def _verify_files(folder: Path, manifest: Manifest) -> None:
    for entry in manifest.databases.values():
        path = folder / entry.file
        if not path.is_file():
            raise BackupError(f"{path} is missing")
        if sha256_of(path) != entry.sha256:
            raise BackupError(f"{path} does not match its checksum: the backup is damaged")


def _check_kafka_fresh(bootstrap: str, *, force: bool) -> None:
    missing, used = asyncio.run(topics_not_fresh(bootstrap))
    if missing:
        raise BackupError(
            f"topics missing: {', '.join(missing)}; create them first (kringctl topics ensure)"
        )
    if used and not force:
        raise BackupError(
            f"topics already hold records: {', '.join(used)}; restore needs fresh topics "
            "(or --force, see deploy/README.md)"
        )


def _prepare_databases(urls: Mapping[str, str], *, force: bool) -> None:
    """Every database exists and is empty before the first is restored: all or nothing."""
    relations = {name: user_relations(url) for name, url in urls.items()}
    in_use = [name for name, count in relations.items() if count]
    if in_use and not force:
        raise BackupError(
            f"databases not empty: {', '.join(in_use)}; restore goes into a fresh stack "
            "(or --force drops and recreates them)"
        )
    for name, url in urls.items():
        if relations[name] is None or relations[name]:
            recreate_database(url, drop=relations[name] is not None)


def run_restore(
    folder: Path, urls: Mapping[str, str], bootstrap: str, *, force: bool
) -> dict[str, int]:
    """Restores every database of the backup; returns how many events each republishes."""
    if not (folder / MANIFEST).is_file():
        raise BackupError(f"no {MANIFEST} in {folder}: not a complete backup")
    manifest = Manifest.read(folder)
    unknown = set(manifest.databases) - set(urls)
    if unknown:
        raise BackupError(f"no target for {', '.join(sorted(unknown))}")
    _verify_files(folder, manifest)
    _check_kafka_fresh(bootstrap, force=force)
    targets = {name: urls[name] for name in manifest.databases}
    _prepare_databases(targets, force=force)
    republished: dict[str, int] = {}
    with _progress() as progress:
        for name, url in targets.items():
            entry = manifest.databases[name]
            task = progress.add_task(f"restore {name}", total=entry.bytes)
            _run_watched(restore_command(url, folder / entry.file), progress, task)
            progress.update(task, completed=entry.bytes)
            republished[name] = republish_since(url, manifest.republish_from)
    return republished


@contextmanager
def _one_line_failures() -> Iterator[None]:
    """What stops a backup or restore, as one line and an exit code (no traceback)."""
    try:
        yield
    except (BackupError, OpsError) as error:
        raise fail(str(error)) from None
    except (psycopg.OperationalError, KafkaError, OSError) as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise fail(f"unreachable: {first}", UNREACHABLE) from None


def backup(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="An empty or new folder for this backup.")],
    republish_margin: Annotated[
        float, typer.Option(help="Seconds added to the republished tail for clock skew.")
    ] = 300.0,
) -> None:
    """Dump every service database (consistent with each other) and the Kafka offsets."""
    with _one_line_failures():
        urls = _database_urls(ctx)
        manifest = run_backup(folder, urls, deployment(ctx).need_kafka(), margin_s=republish_margin)
    table = Table("database", "bytes", "alembic heads", "unpublished", "applied events")
    for name, entry in manifest.databases.items():
        table.add_row(
            name,
            str(entry.bytes),
            ", ".join(entry.alembic_heads),
            str(entry.outbox.get("unpublished", "-")),
            str(sum(entry.inbox.values())),
        )
    console.print(table)
    console.print(
        f"backup in {folder} (inbox barrier {manifest.barrier_ms} ms); a restore republishes "
        f"events published since {manifest.republish_from.isoformat()}"
    )


def restore(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="A folder `kringctl backup` wrote.")],
    force: Annotated[
        bool,
        typer.Option(help="Drop and recreate non-empty databases; accept used topics."),
    ] = False,
) -> None:
    """Restore a backup into a fresh stack (empty databases, empty topics); start the
    services afterwards and they republish what a consumer may have missed."""
    with _one_line_failures():
        urls = _database_urls(ctx)
        republished = run_restore(folder, urls, deployment(ctx).need_kafka(), force=force)
    for name, count in republished.items():
        console.print(f"{name}: restored, {count} events to republish")
    console.print("start the services now: their relays publish those events again")


def republish(
    ctx: typer.Context,
    since: Annotated[
        datetime,
        typer.Option(
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z"],
            help="Events published since then go out again (e.g. 2026-12-02T13:05:00+00:00).",
        ),
    ],
) -> None:
    """After a point-in-time recovery into fresh topics, with the services stopped: their
    relays publish the events since then again, and consumers skip what they applied."""
    with _one_line_failures():
        for name, url in _database_urls(ctx).items():
            console.print(f"{name}: {republish_since(url, since)} events to republish")


def register(app: typer.Typer) -> None:
    """Adds `backup`, `restore` and `republish` to kringctl."""
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("republish")(republish)
