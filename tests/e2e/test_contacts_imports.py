"""Contact imports, the advanced search and exports over HTTP against the contacts process:
an import's contacts reach Kafka, a killed process resumes its import job after a restart
without creating anyone twice, and the result list comes back as a file."""

import csv
import io
import json
import signal
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from kring_contracts import CONTACTS_TOPIC
from kring_platform.testing import TopicTail, eventually

from .conftest import RunningSystem
from .kafka_tools import consumer_lag

pytestmark = pytest.mark.e2e

MAPPING = {"Id": "external_id", "First": "first_name", "Last": "last_name", "Mail": "email"}


@pytest.fixture
async def contacts_tail() -> AsyncIterator[TopicTail]:
    async with TopicTail(CONTACTS_TOPIC) as tail:
        yield tail


def people_csv(unique: str, count: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(MAPPING))
    for n in range(count):
        writer.writerow([f"{unique}-{n}", f"P{n}", f"Imported {unique}", f"p{n}.{unique}@x.org"])
    return buffer.getvalue().encode()


async def start_import(client: httpx.AsyncClient, content: bytes) -> str:
    response = await client.post(
        "/contact-imports",
        files={"file": ("people.csv", content, "text/csv")},
        data={"mapping": json.dumps(MAPPING)},
    )
    assert response.status_code == 202, response.text
    job_id: str = response.json()["id"]
    return job_id


async def job_of(system: RunningSystem, job_id: str) -> dict[str, Any]:
    async with system.client("contacts") as client:
        response = await client.get(f"/contact-imports/{job_id}")
        job: dict[str, Any] = response.json()
        return job


def mine(unique: str) -> dict[str, Any]:
    return {"kind": "text", "field": "last_name", "op": "equals", "value": f"Imported {unique}"}


async def test_imported_contacts_reach_kafka_and_export(
    contacts: httpx.AsyncClient, contacts_tail: TopicTail, system: RunningSystem, unique: str
) -> None:
    job_id = await start_import(contacts, people_csv(unique, 30))
    job = await eventually(lambda: job_of(system, job_id), until=lambda j: j["status"] == "done")
    assert (job["created"], job["refused"]) == (30, 0)

    rows = (await contacts.get(f"/contact-imports/{job_id}/rows", params={"limit": 50})).json()
    first = rows["items"][0]["contact_id"]
    [created] = await contacts_tail.events_about(first, count=1)
    assert created["type"] == "kring.contacts.contact.created"

    body = {"filter": mine(unique), "columns": ["first_name", "emails"], "format": "csv"}
    exported = await contacts.post("/contacts/query/export", json=body)
    lines = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert lines[0] == ["first_name", "emails"] and len(lines) == 31


async def drained() -> None:
    """Waits until the other services have worked off the import's events, so they leave no
    backlog that slows the tests after this one."""
    for group in ("memberships", "newsletters", "billing"):
        await eventually(
            lambda group=group: consumer_lag(group, CONTACTS_TOPIC),
            until=lambda lag: lag == 0,
            timeout=400,
            interval=1.0,
        )


@pytest.mark.timeout(900)
async def test_a_killed_import_resumes_after_a_restart(
    contacts: httpx.AsyncClient, system: RunningSystem, unique: str
) -> None:
    # Three chunks (2,000 rows a chunk by default): the kill lands while the job is under way.
    count = 4500
    job_id = await start_import(contacts, people_csv(unique, count))
    await eventually(
        lambda: job_of(system, job_id), until=lambda j: j["rows_done"] > 0, interval=0.02
    )
    system.kill("contacts", signal.SIGKILL)
    system.start("contacts")

    job = await eventually(
        lambda: job_of(system, job_id), until=lambda j: j["status"] == "done", timeout=120
    )
    assert (job["rows_done"], job["created"], job["duplicates"]) == (count, count, 0)
    async with system.client("contacts") as client:
        found = await client.post(
            "/contacts/query", json={"filter": mine(unique), "columns": ["id"], "with_total": True}
        )
    assert found.json()["total"] == count
    await drained()
