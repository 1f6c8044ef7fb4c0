"""The example subscriber in Java (examples/java-subscriber/), built with Maven and run against
the real broker: a read model of contacts and groups from the state topics, then the change
topic, equals what the contacts API answers — for what existed before it started (snapshots,
tombstones of a deleted and an erased contact and of a deleted group) and for what changed
while it ran (change events past each snapshot's sequence)."""

import asyncio
import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from kring_contracts.topics import CONTACT_STATE_TOPIC, GROUP_STATE_TOPIC
from kring_platform.testing import eventually, kafka_bootstrap_servers, read_from_start
from kring_stack.postgres import admin_url

from .api import add_member, create_contact, create_group, group_members, remove_member
from .conftest import RunningSystem

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "java-subscriber"
JAR = EXAMPLE / "target" / "kring-subscriber.jar"
# The digest of the pom and sources the jar was built from: a build only when they changed.
BUILT_FROM = EXAMPLE / "target" / "built-from.sha256"


def source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted([EXAMPLE / "pom.xml", *(EXAMPLE / "src").rglob("*.java")]):
        digest.update(path.relative_to(EXAMPLE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def subscriber_jar() -> Path:
    """`mvn package` once (the first run downloads Maven's plugins and the Kafka client)."""
    wanted = source_digest()
    if JAR.exists() and BUILT_FROM.exists() and BUILT_FROM.read_text() == wanted:
        return JAR
    mvn = shutil.which("mvn")
    assert mvn, "Maven builds the example subscriber: apt-get install -y maven (./kring does)"
    build = subprocess.run(
        [mvn, "-q", "-B", "package", "-DskipTests"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    BUILT_FROM.write_text(wanted)
    return JAR


@pytest.fixture
def model_file() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="kring-subscriber-") as folder:
        yield Path(folder) / "read-model.json"


async def unpublished_events(system: RunningSystem) -> int:
    url = admin_url(system.profile, system.databases["contacts"])
    async with await psycopg.AsyncConnection.connect(url) as connection:
        cursor = await connection.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        row = await cursor.fetchone()
        return int(row[0]) if row else 0


async def api_view(
    contacts: httpx.AsyncClient, contact_ids: list[str], group_ids: list[str]
) -> dict[str, Any]:
    """What the contacts API answers about these contacts and groups, in the subscriber's
    shape: only the live ones, groups with their members."""
    groups: dict[str, Any] = {}
    for group_id in group_ids:
        response = await contacts.get(f"/groups/{group_id}")
        if response.status_code == 404:
            continue
        assert response.status_code == 200, response.text
        members = sorted(await group_members(contacts, group_id))
        groups[group_id] = {"name": response.json()["name"], "member_ids": members}
    people: dict[str, Any] = {}
    for contact_id in contact_ids:
        response = await contacts.get(f"/contacts/{contact_id}")
        if response.status_code in (404, 410):
            continue
        assert response.status_code == 200, response.text
        body = response.json()
        people[contact_id] = {
            "first_name": body["first_name"],
            "last_name": body["last_name"],
            "emails": body["emails"],
            "group_ids": sorted(
                g for g, group in groups.items() if contact_id in group["member_ids"]
            ),
        }
    return {"contacts": people, "groups": groups}


def read_model(model: Path) -> dict[str, Any]:
    """What the subscriber wrote last (it replaces the file atomically)."""
    written: dict[str, Any] = json.loads(model.read_text())
    return written


def subscriber_view(model: Path, contact_ids: list[str], group_ids: list[str]) -> dict[str, Any]:
    """The subscriber's read model, restricted to these contacts and groups (the broker holds
    those of other tests and runs too)."""
    if not model.exists():
        return {}
    written = read_model(model)
    return {
        "contacts": {id: c for id, c in written["contacts"].items() if id in contact_ids},
        "groups": {id: g for id, g in written["groups"].items() if id in group_ids},
    }


async def converged(
    system: RunningSystem,
    contacts: httpx.AsyncClient,
    model: Path,
    contact_ids: list[str],
    group_ids: list[str],
) -> dict[str, Any]:
    """Waits until every change is on Kafka, then until the subscriber's model equals the
    API's answer; returns the API's answer."""
    await eventually(lambda: unpublished_events(system), until=lambda n: n == 0, timeout=30)
    expected = await api_view(contacts, contact_ids, group_ids)
    await eventually(
        lambda: subscriber_view(model, contact_ids, group_ids),
        until=lambda seen: seen == expected,
        timeout=60,
        interval=0.5,
    )
    return expected


async def test_the_java_subscriber_builds_the_same_contacts_and_groups_as_the_api(
    system: RunningSystem, subscriber_jar: Path, model_file: Path, unique: str
) -> None:
    async with system.client("contacts") as contacts:
        # Before the subscriber starts: it learns this from the state topics.
        ann, bert, cas, dina = [
            await create_contact(contacts, name, f"Subscriber{unique}")
            for name in ("Ann", "Bert", "Cas", "Dina")
        ]
        board = await create_group(contacts, f"Board {unique}")
        team = await create_group(contacts, f"Team {unique}")
        gone = await create_group(contacts, f"Gone {unique}")
        for group, member in ((board, ann), (board, bert), (team, bert), (gone, cas)):
            await add_member(contacts, group, member)
        renamed = await contacts.patch(f"/contacts/{ann}", json={"first_name": "Anna"})
        assert renamed.status_code == 200, renamed.text
        assert (await contacts.delete(f"/groups/{gone}")).status_code == 204
        assert (await contacts.delete(f"/contacts/{cas}")).status_code == 204
        assert (await contacts.post(f"/contacts/{dina}/erasure")).status_code == 201
        contact_ids = [ann, bert, cas, dina]
        group_ids = [board, team, gone]
        await eventually(lambda: unpublished_events(system), until=lambda n: n == 0, timeout=30)
        # On the broker: the live ones' snapshots at their version, the others' tombstones.
        versions = {
            c: (await contacts.get(f"/contacts/{c}")).json()["version"] for c in (ann, bert)
        }
        await state_on_kafka(CONTACT_STATE_TOPIC, versions | {cas: None, dina: None})
        await state_on_kafka(GROUP_STATE_TOPIC, {board: 1, team: 1, gone: None})

        process = start_subscriber(subscriber_jar, model_file)
        try:
            before = await converged(system, contacts, model_file, contact_ids, group_ids)
            assert set(before["contacts"]) == {ann, bert}
            assert before["groups"][board]["member_ids"] == sorted([ann, bert])
            first = read_model(model_file)
            assert first["snapshots"] > 0 and first["skipped"] > 0  # history it already had

            # While it runs: it learns this from the change topic.
            eve = await create_contact(contacts, "Eve", f"Subscriber{unique}")
            contact_ids.append(eve)
            await add_member(contacts, team, eve)
            await remove_member(contacts, board, ann)
            assert (
                await contacts.patch(f"/groups/{team}", json={"name": f"Crew {unique}"})
            ).status_code == 200
            moved = await contacts.patch(
                f"/contacts/{bert}", json={"emails": [f"b.{unique}@example.org"]}
            )
            assert moved.status_code == 200, moved.text
            assert (await contacts.post(f"/contacts/{ann}/erasure")).status_code == 201
            assert (await contacts.delete(f"/groups/{board}")).status_code == 204

            after = await converged(system, contacts, model_file, contact_ids, group_ids)
            assert set(after["contacts"]) == {bert, eve}
            assert after["groups"] == {
                team: {"name": f"Crew {unique}", "member_ids": sorted([bert, eve])}
            }
            last = read_model(model_file)
            assert last["applied"] > first["applied"]  # the changes came as events
        finally:
            process.terminate()
            await asyncio.to_thread(process.wait, 10)


async def state_on_kafka(topic: str, expected: dict[str, int | None]) -> None:
    """Waits until the newest record of each key of `expected` on the state topic has that
    sequence (None: a tombstone)."""

    def newest(records: list[Any]) -> dict[str, int | None]:
        found: dict[str, int | None] = {}
        for record in records:
            key = record.key.decode()
            if key in expected:
                found[key] = json.loads(record.value)["sequence"] if record.value else None
        return found

    records = await read_from_start(topic, until=lambda read: newest(read) == expected)
    assert newest(records) == expected


def start_subscriber(jar: Path, model: Path) -> "subprocess.Popen[bytes]":
    java = shutil.which("java")
    assert java, "a JDK runs the example subscriber (./kring installs one)"
    return subprocess.Popen(
        [java, "-jar", str(jar), kafka_bootstrap_servers(), str(model)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
