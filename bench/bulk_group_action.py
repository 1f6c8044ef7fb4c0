"""Benchmark: a secretary adds a 10,000-contact search result to a group; how long until
every subscription exists in newsletters.

Against a started stack with its services (contacts and newsletters as processes, each with
its relay and consumers). It imports N contacts with a last name of their own through the
contacts API (`POST /contact-imports`) and waits until newsletters has them all, creates a
group and a mailing list of the same name (the list follows the group), then times:

- the bulk action: `POST /contacts/query/add-to-group` with the search `last_name starts
  with …` (contacts adds the members set-based in chunks of 1,000, one transaction each, and
  records an event per contact added);
- end to end: from that request until the list has N active subscriptions in newsletters'
  database (the relay published N `group_member.added`, newsletters' consumer applied them);
- the same request again, which must change nothing (idempotent: `changed` 0, no event).

Floor, same run: N messages of the same size produced raw onto a fresh topic (acks=all) and
read back by a raw consumer, plus N subscription rows inserted by one SQL statement.

    ./kring up && uv run python bench/bulk_group_action.py [--contacts 10000]
    KRING_SLOT=7 KRING_PROFILE=test uv run python bench/bulk_group_action.py
"""

import argparse
import asyncio
import csv
import io
import json
import os
import time
import uuid
from typing import Any

import httpx
import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from kring_platform.identity import IDENTITY_HEADER, CallerIdentity, sign_identity
from kring_stack.callers import identity_key
from kring_stack.postgres import sqlalchemy_url
from kring_stack.profiles import Profile, get_profile
from kring_stack.services import service_url

IMPORT_MAPPING = {"Lidnummer": "external_id", "Voornaam": "first_name", "Naam": "last_name"}


class Signed(httpx.Auth):
    """Signs each request's caller identity as the gateway does."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def auth_flow(self, request: httpx.Request) -> Any:
        identity = CallerIdentity(user_id="bench", roles=("admin",), request_id="bench")
        request.headers[IDENTITY_HEADER] = sign_identity(self._key, identity)
        yield request


def plain_url(profile: Profile, database: str) -> str:
    return sqlalchemy_url(profile, database).replace("postgresql+psycopg://", "postgresql://")


def import_csv(tag: str, count: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(IMPORT_MAPPING))
    writer.writerows([f"bulk-{tag}-{n}", "Bulk", f"Bulk{tag}{n:06d}"] for n in range(count))
    return buffer.getvalue().encode()


async def import_contacts(contacts: httpx.AsyncClient, tag: str, count: int) -> float:
    started = time.perf_counter()
    response = await contacts.post(
        "/contact-imports",
        files={"file": ("import.csv", import_csv(tag, count), "text/csv")},
        data={"mapping": json.dumps(IMPORT_MAPPING)},
        timeout=300,
    )
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    while True:
        if (await contacts.get(f"/contact-imports/{job_id}")).json()["status"] == "done":
            return time.perf_counter() - started
        await asyncio.sleep(0.5)


async def wait_for_count(
    conninfo: str, query: str, params: tuple[object, ...], target: int, timeout_s: float
) -> float:
    """Polls every 50 ms until the query's count reaches `target`; the time it did."""
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            row = await (await conn.execute(query, params)).fetchone()
            if row and row[0] >= target:
                return time.perf_counter()
            await asyncio.sleep(0.05)
    raise TimeoutError(f"{query} did not reach {target} within {timeout_s} s")


async def list_following_group(
    contacts: httpx.AsyncClient, newsletters: httpx.AsyncClient, name: str
) -> tuple[str, str]:
    group = await contacts.post("/groups", json={"name": name})
    assert group.status_code == 201, group.text
    mailing_list = await newsletters.post("/lists", json={"name": name})
    assert mailing_list.status_code == 201, mailing_list.text
    list_id = mailing_list.json()["id"]
    deadline = time.perf_counter() + 60
    while (await newsletters.get(f"/lists/{list_id}")).json()["group_id"] != group.json()["id"]:
        assert time.perf_counter() < deadline, "the list never followed the group"
        await asyncio.sleep(0.1)
    return group.json()["id"], list_id


def bulk_body(group_id: str, tag: str) -> dict[str, Any]:
    condition = {"kind": "text", "field": "last_name", "op": "starts_with", "value": f"Bulk{tag}"}
    return {"group_id": group_id, "query": {"filter": condition}}


async def add_to_group(
    contacts: httpx.AsyncClient, group_id: str, tag: str
) -> tuple[float, dict[str, int]]:
    """The bulk action once more; its time and its report."""
    started = time.perf_counter()
    response = await contacts.post(
        "/contacts/query/add-to-group", json=bulk_body(group_id, tag), timeout=600
    )
    assert response.status_code == 200, response.text
    report: dict[str, int] = response.json()
    return time.perf_counter() - started, report


async def floor(bootstrap: str, conninfo: str, count: int, size: int) -> tuple[float, float]:
    """Raw produce + consume of `count` messages of `size` bytes; one INSERT of `count`
    subscription rows (in a scratch copy of the table)."""
    topic = f"bench.bulk-floor.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 6, 1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=topic, auto_offset_reset="earliest"
    )
    await producer.start()
    await consumer.start()
    try:
        started = time.perf_counter()
        value = b"x" * size
        sent = [await producer.send(topic, value=value, key=str(n).encode()) for n in range(count)]
        await asyncio.gather(*sent)
        seen = 0
        while seen < count:
            batches = await consumer.getmany(timeout_ms=500)
            seen += sum(len(records) for records in batches.values())
        kafka_s = time.perf_counter() - started
    finally:
        await consumer.stop()
        await producer.stop()
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        await conn.execute(
            "CREATE TEMP TABLE floor_subscriptions (LIKE subscriptions INCLUDING ALL)"
        )
        started = time.perf_counter()
        await conn.execute(
            "INSERT INTO floor_subscriptions (id, list_id, contact_id, via_group, active,"
            " source, version, started_at) SELECT gen_random_uuid(), gen_random_uuid(),"
            " gen_random_uuid(), true, true, 'group', 1, now() FROM generate_series(1, %s)",
            (count,),
        )
        insert_s = time.perf_counter() - started
    return kafka_s, insert_s


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    profile = get_profile()
    auth = Signed(identity_key(profile))
    contacts_url = os.environ.get("KRING_CONTACTS_URL", service_url("contacts", profile))
    newsletters_url = os.environ.get("KRING_NEWSLETTERS_URL", service_url("newsletters", profile))
    newsletters_db = plain_url(profile, "newsletters")
    tag = uuid.uuid4().hex[:8]
    print(f"stack {profile.name} slot {profile.slot}; load average {os.getloadavg()[0]:.1f}")
    async with (
        httpx.AsyncClient(base_url=contacts_url, auth=auth, timeout=120) as contacts,
        httpx.AsyncClient(base_url=newsletters_url, auth=auth, timeout=60) as newsletters,
    ):
        imported_s = await import_contacts(contacts, tag, args.contacts)
        await wait_for_count(
            newsletters_db,
            "SELECT count(*) FROM contacts WHERE last_name LIKE %s",
            (f"Bulk{tag}%",),
            args.contacts,
            args.timeout,
        )
        print(f"{args.contacts} contacts imported in {imported_s:.1f} s, known to newsletters")
        group_id, list_id = await list_following_group(contacts, newsletters, f"Bulk {tag}")

        started = time.perf_counter()
        bulk_s, report = await add_to_group(contacts, group_id, tag)
        done = await wait_for_count(
            newsletters_db,
            "SELECT count(*) FROM subscriptions WHERE list_id = %s AND active",
            (uuid.UUID(list_id),),
            args.contacts,
            args.timeout,
        )
        repeat_s, repeated = await add_to_group(contacts, group_id, tag)
        assert repeated["changed"] == 0, repeated
    end_to_end = done - started
    print(
        f"bulk action: {report} answered in {bulk_s:.2f} s;"
        f" every subscription in newsletters after {end_to_end:.2f} s"
        f" ({args.contacts / end_to_end:,.0f} contacts/s); the same again: {repeated}"
        f" in {repeat_s:.2f} s; load average {os.getloadavg()[0]:.1f}"
    )
    kafka_s, insert_s = await floor(
        os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        newsletters_db,
        args.contacts,
        400,
    )
    print(
        f"floor: raw produce + consume of {args.contacts} messages {kafka_s:.2f} s + one INSERT"
        f" of {args.contacts} rows {insert_s:.2f} s = {kafka_s + insert_s:.2f} s;"
        f" end to end / floor = {end_to_end / (kafka_s + insert_s):.1f}x"
    )


if __name__ == "__main__":
    asyncio.run(main())
