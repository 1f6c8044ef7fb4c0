"""What the integration tests create over HTTP and share: contacts, families, companies and
resources, each with a name of its own so tests sharing one database never meet; contacts with
values no other test uses for the duplicate, merge and erasure tests, and the duplicate scan's
pairs of given contacts; the checks that a deleted thing is gone; a database pool of the
tests' own; a unit of work that fails on purpose."""

import random
import uuid
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts import Envelope, EventPayload
from kring_platform.db import Database
from kring_platform.testing import created
from kring_platform.unit_of_work import Aggregate, UnitOfWork, UnitsOfWork


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:8]}"


async def new_contact(client: httpx.AsyncClient, first: str, last: str, **fields: Any) -> str:
    """A new contact's id."""
    body = await new_contact_body(client, first_name=first, last_name=last, **fields)
    return str(body["id"])


async def new_family(client: httpx.AsyncClient, name: str, **fields: Any) -> dict[str, Any]:
    return created(await client.post("/families", json={"name": name, **fields}))


async def link(
    client: httpx.AsyncClient, family_id: str, contact_id: str, role: str
) -> httpx.Response:
    return await client.put(f"/families/{family_id}/members/{contact_id}", json={"role": role})


async def new_company(client: httpx.AsyncClient, name: str, **fields: Any) -> dict[str, Any]:
    return created(await client.post("/companies", json={"name": name, **fields}))


async def new_resource(
    client: httpx.AsyncClient, name: str, kind: str = "locker", **fields: Any
) -> dict[str, Any]:
    body = {"name": name, "kind": kind, **fields}
    return created(await client.post("/resources", json=body))


def unique_iban() -> str:
    """A valid Belgian IBAN no other test uses (random account, correct check digits)."""
    account = random.randrange(10**10)
    bban = f"{account:010d}{(account % 97) or 97:02d}"
    check = 98 - int(bban + "111400") % 97  # "BE" as digits, then "00"
    return f"BE{check:02d}{bban}"


def unique_phone() -> str:
    digits = f"{random.randrange(10**7):07d}"
    return f"+32 47{digits[0]} {digits[1:3]} {digits[3:5]} {digits[5:7]}"


def unique_birth_date() -> date:
    return date(1900, 1, 1).fromordinal(date(1920, 1, 1).toordinal() + random.randrange(30000))


async def new_contact_body(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    """A new contact's whole body, with a random last name unless given."""
    body = {"first_name": "Test", "last_name": uuid.uuid4().hex[:8], **fields}
    return created(await client.post("/contacts", json=body))


async def new_contact_id(client: httpx.AsyncClient, **fields: Any) -> str:
    """A new contact's id: Ann Lee unless `fields` name it otherwise (search tests)."""
    body = await new_contact_body(client, **{"first_name": "Ann", "last_name": "Lee", **fields})
    return str(body["id"])


async def same_iban_pair(client: httpx.AsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two new contacts sharing an IBAN no other test uses: a pair the duplicate scan finds."""
    iban = unique_iban()
    return await new_contact_body(client, iban=iban), await new_contact_body(client, iban=iban)


async def assert_gone(*requests: Awaitable[httpx.Response]) -> None:
    """Each request about a deleted contact or group answers 404, as a problem."""
    for request in requests:
        response = await request
        assert response.status_code == 404, response.text
        assert response.headers["content-type"] == "application/problem+json"


@asynccontextmanager
async def own_database(url: str) -> AsyncIterator[Database]:
    """A connection pool of the tests' own (two connections), to look behind the API."""
    database = Database(url, pool_size=2)
    try:
        yield database
    finally:
        await database.dispose()


async def pairs_among(client: httpx.AsyncClient, ids: set[str]) -> dict[frozenset[str], Any]:
    """The scan's pairs of which both contacts are among `ids`, by pair."""
    found: dict[frozenset[str], Any] = {}
    offset = 0
    while True:
        response = await client.get("/duplicates", params={"limit": 500, "offset": offset})
        assert response.status_code == 200, response.text
        page = response.json()
        for item in page["items"]:
            pair = frozenset(contact["id"] for contact in item["contacts"])
            if pair <= ids:
                found[pair] = item
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            return found


class Boom(Exception):
    pass


class FailingUnitOfWork(UnitOfWork):
    """Records events normally, then fails on the `fail_on`-th one (after writing it)."""

    def __init__(self, session: AsyncSession, units: UnitsOfWork, fail_on: int) -> None:
        super().__init__(session, units.outbox)
        self.calls = 0
        self.fail_on = fail_on

    def _count(self, payload: EventPayload) -> None:
        self.calls += 1
        if self.calls == self.fail_on:
            raise Boom(payload.event_type)

    async def record(self, aggregate: Aggregate, payload: EventPayload, **kwargs: Any) -> Envelope:
        envelope = await super().record(aggregate, payload, **kwargs)
        self._count(payload)
        return envelope

    async def record_at(self, payload: EventPayload, **kwargs: Any) -> Envelope:
        envelope = await super().record_at(payload, **kwargs)
        self._count(payload)
        return envelope


@asynccontextmanager
async def failing_unit_of_work(units: UnitsOfWork, fail_on: int) -> AsyncIterator[UnitOfWork]:
    """A unit of work of `units` whose `fail_on`-th event fails, so the transaction rolls back."""
    async with units.database.transaction() as session:
        yield FailingUnitOfWork(session, units, fail_on)
