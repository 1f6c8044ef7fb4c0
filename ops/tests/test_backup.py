"""kringctl backup → wipe → kringctl restore, with every service a process on a Kafka broker
and databases of this test's own (the suite's shared stack is not touched): the same API
answers afterwards, the event a lagging consumer had not read at backup time still reaches
it (republished from the restored outbox), and nothing is applied twice. Before it, pure
unit tests of the republish cutoff, the lag arithmetic and the manifest's checksums."""

import asyncio
import shutil
import signal
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from typer.testing import CliRunner

from kring_contracts.topics import CONTACTS_TOPIC
from kring_ops.backup import run_restore
from kring_ops.backup_kafka import (
    ALL_TOPICS,
    EVENT_TOPICS,
    KafkaState,
    read_kafka_state,
    topics_not_fresh,
)
from kring_ops.backup_manifest import DatabaseEntry, KafkaEntry, Manifest, republish_from
from kring_ops.backup_postgres import BackupError, libpq_url
from kring_ops.cli import app
from kring_platform.testing import eventually
from kring_stack.callers import signed_as
from kring_stack.kafka import bootstrap_servers, start_kafka, stop_kafka
from kring_stack.postgres import admin_url, drop_database, ensure_database
from kring_stack.profiles import Profile, get_profile
from kring_stack.services import kill_service, migrate, start_service
from kring_stack.topics import ensure_topics

# The gateway's database is backed up and restored too; its process (and billing's
# workers, idle without a contribution run) are not needed here.
RUNNING = ("contacts", "newsletters", "memberships", "billing")
DATABASES = (*RUNNING, "gateway")
KRING = set(ALL_TOPICS)


NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_the_republished_tail_starts_at_the_oldest_unconsumed_record_less_the_margin() -> None:
    oldest = {"kring.contacts.v1[2]": NOON - timedelta(hours=2), "kring.billing.v1[0]": NOON}
    assert republish_from(NOON, oldest, 300) == NOON - timedelta(hours=2, minutes=5)
    assert republish_from(NOON, {}, 60) == NOON - timedelta(minutes=1)


def test_lag_counts_only_the_topics_a_group_reads_and_from_the_log_start() -> None:
    state = KafkaState(
        read_at=NOON,
        topics={"a": {0: (0, 10), 1: (5, 8)}, "b": {0: (0, 4)}},
        groups={"g": {"a": {0: 10, 1: 2}}},
    )
    assert state.lag("g", "a") == 3  # partition 1 trimmed to 5: the group starts there
    assert state.lag("g", "b") == 0  # g does not read b
    assert [(tp.topic, tp.partition, offset) for _, tp, offset in state.lagging()] == [("a", 1, 5)]


def test_sqlalchemy_urls_become_libpq_urls() -> None:
    assert libpq_url("postgresql+psycopg://kring@db:5432/contacts") == (
        "postgresql://kring@db:5432/contacts"
    )


def test_a_damaged_dump_is_refused_before_anything_is_restored(tmp_path: Path) -> None:
    (tmp_path / "contacts.dump").write_bytes(b"dump")
    entry = DatabaseEntry(
        file="contacts.dump",
        sha256="0" * 64,
        bytes=4,
        server_version="15",
        alembic_heads=["a1"],
        outbox={},
        inbox={},
    )
    kafka = KafkaEntry(
        bootstrap_servers="nowhere:9092",
        read_at=NOON,
        topics={},
        consumer_groups={},
        oldest_unconsumed={},
    )
    Manifest(
        started_at=NOON,
        finished_at=NOON,
        kring_ops_version="0",
        pg_dump_version="15",
        barrier_ms=1.0,
        republish_from=NOON,
        databases={"contacts": entry},
        kafka=kafka,
    ).write(tmp_path)
    with pytest.raises(BackupError, match="checksum"):
        run_restore(tmp_path, {"contacts": "postgresql://nowhere/x"}, "nowhere:9092", force=False)


async def _each(work: Callable[[str], object], names: tuple[str, ...]) -> None:
    """The blocking `work` for every name at once (processes starting side by side)."""
    await asyncio.gather(*(asyncio.to_thread(work, name) for name in names))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _own_profile() -> Profile:
    """The suite's profile with a broker, service ports and a state folder of this test's own
    (services on their port + 450: past this slot's last replicas, +400, and before the next
    slot, +500)."""
    base = get_profile()
    return replace(
        base,
        name=f"{base.name}-backup",
        kafka_port=_free_port(),
        kafka_controller_port=_free_port(),
        service_port_offset=base.service_port_offset + 450,
    )


@dataclass
class OwnStack:
    profile: Profile
    databases: dict[str, str]

    @property
    def bootstrap(self) -> str:
        return bootstrap_servers(self.profile)

    def url(self, database: str) -> str:
        return admin_url(self.profile, self.databases[database])

    def start_kafka(self) -> None:
        start_kafka(self.profile)
        ensure_topics(self.profile)

    async def fresh_topics(self) -> None:
        """Every Kring topic deleted, and with it every offset committed on it, then created
        anew: what a new broker holds, without a second broker's start."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            groups = [str(group[0]) for group in await admin.list_consumer_groups()]
            await admin.delete_topics(list(ALL_TOPICS))
            await eventually(admin.list_topics, until=lambda names: not set(names) & KRING)

            async def committed() -> int:
                return sum([len(await admin.list_consumer_group_offsets(g)) for g in groups])

            await eventually(committed, until=lambda count: count == 0)
        finally:
            await admin.close()
        await eventually(self._recreated, until=lambda fresh: fresh == ([], []), timeout=30.0)

    async def _recreated(self) -> tuple[list[str], list[str]]:
        await asyncio.to_thread(ensure_topics, self.profile)
        return await topics_not_fresh(self.bootstrap)

    async def migrate(self) -> None:
        await _each(
            lambda name: migrate(name, self.profile, database=self.databases[name]), DATABASES
        )

    async def start_services(self) -> None:
        await _each(
            lambda name: start_service(name, self.profile, database=self.databases[name]), RUNNING
        )

    async def stop_services(self) -> None:
        await _each(lambda name: kill_service(name, self.profile, signal.SIGTERM), RUNNING)

    def client(self, name: str) -> httpx.AsyncClient:
        port = 8000 + {"contacts": 1, "newsletters": 2, "memberships": 3, "billing": 4}[name]
        return httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port + self.profile.service_port_offset}",
            auth=signed_as(self.profile),
            timeout=30.0,
        )

    def kringctl(self, *args: str) -> Awaitable[Any]:
        """Runs kringctl in a thread (it runs its own event loop) against this stack."""
        env = {f"KRING_{name.upper()}_DATABASE_URL": self.url(name) for name in DATABASES}
        env["KAFKA_BOOTSTRAP_SERVERS"] = self.bootstrap
        return asyncio.to_thread(CliRunner().invoke, app, list(args), env=env)


@pytest.fixture
async def stack() -> AsyncIterator[OwnStack]:
    run = uuid.uuid4().hex[:8]
    own = OwnStack(_own_profile(), {name: f"{name}_backup_{run}" for name in DATABASES})
    try:
        await asyncio.gather(asyncio.to_thread(own.start_kafka), own.migrate())
        await own.start_services()
        yield own
    finally:
        await own.stop_services()
        stop_kafka(own.profile)
        shutil.rmtree(own.profile.state_dir, ignore_errors=True)
        for database in own.databases.values():
            drop_database(own.profile, database)


def _scalar(url: str, query: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return int(row[0])


def _inbox(stack: OwnStack, group: str) -> int:
    return _scalar(stack.url(group), f"SELECT count(*) FROM inbox WHERE consumer_group = '{group}'")


async def _lags(stack: OwnStack) -> dict[str, int]:
    state = await read_kafka_state(stack.bootstrap)
    return {group: sum(state.lag(group, topic) for topic in EVENT_TOPICS) for group in state.groups}


async def _settled(stack: OwnStack, *, except_group: str | None = None) -> None:
    """Every consumer group (but one) has read every topic to its end."""

    def caught_up(lags: dict[str, int]) -> bool:
        return all(lag == 0 for group, lag in lags.items() if group != except_group)

    await eventually(lambda: _lags(stack), until=caught_up, timeout=30.0, interval=0.3)


async def _ok(response: Awaitable[httpx.Response]) -> Any:
    answered = await response
    assert answered.status_code in (200, 201), answered.text
    return answered.json()


async def _retry(call: Callable[[], Awaitable[httpx.Response]], waiting: int) -> Any:
    """Calls until the contact reached the service (it answers `waiting` until then)."""
    response = await eventually(call, until=lambda r: r.status_code != waiting)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def _contact(contacts: httpx.AsyncClient, first: str, unique: str) -> str:
    body = {"first_name": first, "last_name": f"Backup{unique}", "emails": [f"{first}@{unique}.be"]}
    return str((await _ok(contacts.post("/contacts", json=body)))["id"])


async def _subscribers(newsletters: httpx.AsyncClient, list_id: str) -> list[str]:
    page = await _ok(newsletters.get(f"/lists/{list_id}/subscribers", params={"limit": 100}))
    return sorted(str(item["contact_id"]) for item in page["items"])


async def _answers(stack: OwnStack, ids: dict[str, str]) -> dict[str, Any]:
    """What the APIs say about the test's data, as JSON."""
    async with (
        stack.client("contacts") as contacts,
        stack.client("memberships") as memberships,
        stack.client("billing") as billing,
    ):
        return {
            "contacts": await _ok(contacts.get("/contacts", params={"limit": 100})),
            "members": await _ok(contacts.get(f"/groups/{ids['group']}/members")),
            "memberships": await _ok(memberships.get(f"/contacts/{ids['ann']}/memberships")),
            "invoice": await _ok(billing.get(f"/invoices/{ids['invoice']}")),
            "bob's invoices": await _ok(billing.get(f"/contacts/{ids['bob']}/invoices")),
        }


async def _seed(stack: OwnStack, unique: str) -> dict[str, str]:
    """Contacts, a group with members that a mailing list follows, a membership, an invoice."""
    async with (
        stack.client("contacts") as contacts,
        stack.client("newsletters") as newsletters,
        stack.client("memberships") as memberships,
        stack.client("billing") as billing,
    ):
        ids = {"ann": await _contact(contacts, "ann", unique)}
        ids["bob"] = await _contact(contacts, "bob", unique)
        ids["group"] = str((await _ok(contacts.post("/groups", json={"name": unique})))["id"])
        ids["list"] = str((await _ok(newsletters.post("/lists", json={"name": unique})))["id"])
        for member in ("ann", "bob"):
            await _ok(contacts.put(f"/groups/{ids['group']}/members/{ids[member]}"))
        membership_type = {
            "name": f"Member {unique}",
            "billing_period": "yearly",
            "term_kind": "rolling",
            "rights": [],
            "fee": {"amount": "40.00", "valid_from": "2000-01-01"},
        }
        type_id = (await _ok(memberships.post("/membership-types", json=membership_type)))["id"]
        membership = {"contact_id": ids["ann"], "type_id": type_id, "start_date": str(date.today())}
        await _retry(lambda: memberships.post("/memberships", json=membership), 422)
        line = {"description": "Club scarf", "unit_price": "12.50", "vat_rate": "21"}
        invoice = {"contact_id": ids["bob"], "lines": [line]}
        ids["invoice"] = (await _retry(lambda: billing.post("/invoices", json=invoice), 404))["id"]
        await eventually(
            lambda: _subscribers(newsletters, ids["list"]),
            until=lambda found: found == sorted([ids["ann"], ids["bob"]]),
        )
    return ids


async def _lag_newsletters(stack: OwnStack, ids: dict[str, str], unique: str) -> None:
    """Newsletters stops; Carl joins the group: the event is in Kafka, not yet applied."""
    kill_service("newsletters", stack.profile, signal.SIGTERM)
    async with stack.client("contacts") as contacts:
        ids["carl"] = await _contact(contacts, "carl", unique)
        await _ok(contacts.put(f"/groups/{ids['group']}/members/{ids['carl']}"))
    unpublished = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
    await eventually(lambda: _scalar(stack.url("contacts"), unpublished), until=lambda n: n == 0)
    await _settled(stack, except_group="newsletters")


async def _wipe(stack: OwnStack) -> None:
    """Every process stops; the databases come back empty, the topics fresh."""
    await stack.stop_services()
    await stack.fresh_topics()
    for database in stack.databases.values():
        drop_database(stack.profile, database)
        ensure_database(stack.profile, database)


@pytest.mark.e2e
async def test_backup_wipe_restore_answers_the_same_and_applies_each_event_once(
    stack: OwnStack, tmp_path: Path
) -> None:
    unique = uuid.uuid4().hex[:8]
    ids = await _seed(stack, unique)
    await _lag_newsletters(stack, ids, unique)
    before = await _answers(stack, ids)

    backed_up = await stack.kringctl("backup", str(tmp_path))
    assert backed_up.exit_code == 0, backed_up.output
    manifest = Manifest.read(tmp_path)
    assert set(manifest.databases) == set(DATABASES)
    assert all(entry.alembic_heads for entry in manifest.databases.values())
    assert manifest.databases["contacts"].outbox["unpublished"] == 0
    assert manifest.kafka.oldest_unconsumed, "newsletters lagged at backup time"
    lagging_topic = manifest.kafka.consumer_groups["newsletters"][CONTACTS_TOPIC]
    assert sum(lagging_topic.values()) < sum(
        end for _, end in manifest.kafka.topics[CONTACTS_TOPIC].values()
    )
    applied = {group: manifest.databases[group].inbox.get(group, 0) for group in RUNNING}
    assert applied["memberships"] > 0 and applied["billing"] > 0

    await _wipe(stack)
    restored = await stack.kringctl("restore", str(tmp_path))
    assert restored.exit_code == 0, restored.output
    assert "contacts: restored" in restored.output
    refused = await stack.kringctl("restore", str(tmp_path))
    assert refused.exit_code == 1 and "not empty" in refused.output, refused.output

    await stack.start_services()
    assert await _answers(stack, ids) == before
    async with stack.client("newsletters") as newsletters, stack.client("contacts") as contacts:
        # Not lost: the event newsletters had not read comes again from the restored outbox.
        everyone = sorted([ids["ann"], ids["bob"], ids["carl"]])
        await eventually(lambda: _subscribers(newsletters, ids["list"]), until=everyone.__eq__)
        await _settled(stack)
        # Not doubled: the republished events the others had applied add no inbox row.
        assert _inbox(stack, "memberships") == applied["memberships"]
        assert _inbox(stack, "billing") == applied["billing"]
        assert await _answers(stack, ids) == before

        # A change after the restore has exactly one effect downstream.
        dave = await _contact(contacts, "dave", unique)
        await _settled(stack)
        seen = _inbox(stack, "newsletters")
        await _ok(contacts.put(f"/groups/{ids['group']}/members/{dave}"))
        with_dave = sorted([*everyone, dave])
        await eventually(lambda: _subscribers(newsletters, ids["list"]), until=with_dave.__eq__)
        await _settled(stack)
        assert _inbox(stack, "newsletters") == seen + 1
