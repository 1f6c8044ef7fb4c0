"""manifest.json: what a backup holds and what its restore must know (see deploy/README.md,
"Backups and restore")."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1 << 20


class DatabaseEntry(BaseModel):
    file: str
    sha256: str
    bytes: int
    server_version: str
    alembic_heads: list[str]
    # At the snapshot: last position, unpublished rows, first unpublished position.
    outbox: dict[str, Any]
    # Applied events per consumer group at the snapshot.
    inbox: dict[str, int]


class KafkaEntry(BaseModel):
    bootstrap_servers: str
    read_at: datetime
    # topic -> partition -> [first offset, end offset]
    topics: dict[str, dict[int, tuple[int, int]]]
    # group -> topic -> partition -> committed offset
    consumer_groups: dict[str, dict[str, dict[int, int]]]
    # "topic[p]" -> publish time of the oldest record some group had not consumed
    oldest_unconsumed: dict[str, datetime]


class Manifest(BaseModel):
    format: int = FORMAT
    started_at: datetime
    finished_at: datetime
    kring_ops_version: str
    pg_dump_version: str
    # How long the inbox locks were held while the snapshots were taken.
    barrier_ms: float
    # Every outbox row published at or after this time is published again on restore.
    republish_from: datetime
    databases: dict[str, DatabaseEntry]
    kafka: KafkaEntry

    def write(self, folder: Path) -> Path:
        path = folder / MANIFEST
        path.write_text(self.model_dump_json(indent=2) + "\n")
        return path

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        return cls.model_validate_json((folder / MANIFEST).read_text())


def republish_from(
    kafka_read_at: datetime, oldest: dict[str, datetime], margin_s: float
) -> datetime:
    """The oldest event a consumer may not have applied in its snapshot: the oldest record
    some group had not consumed when the offsets were read (before the snapshots), else
    the moment they were read; less a margin for clock skew between the services' hosts,
    Kafka and Postgres (`published_at` is the database's clock)."""
    return min([kafka_read_at, *oldest.values()]) - timedelta(seconds=margin_s)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
