"""What the duplicate, merge and erasure tests share: contacts with values no other test
uses, and the duplicate scan's pairs of given contacts."""

import random
import uuid
from datetime import date
from typing import Any

import httpx


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


async def new_contact(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"first_name": "Test", "last_name": uuid.uuid4().hex[:8], **fields}
    response = await client.post("/contacts", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


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
