"""Member cards over the API: a contact's card, a sheet, and the answer to a scanned card."""

import uuid
from datetime import UTC, date, datetime

import httpx
import pytest
from fastapi import FastAPI

from kring_memberships.cards import MemberCard, sign_card
from kring_memberships.settings import Settings

from .helpers import create_type, new_contact, register
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration


def token_for(settings: Settings, contact_id: uuid.UUID, valid_until: date | None) -> str:
    """A token as the card's QR code carries it (the PDF's QR code is not read back here)."""
    card = MemberCard(
        contact_id=contact_id,
        full_name="anything printed",
        membership_type="Senior",
        member_number="M000001",
        valid_until=valid_until,
        organisation_name="Kring",
    )
    return sign_card(card, settings.card_secrets[0], issued_at=datetime.now(UTC))


async def test_a_member_gets_a_card_and_a_sheet_holds_several(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    season = await create_type(client, f"Carded {unique}")
    members = [await new_contact(app, feed, "Card", f"Holder {i}") for i in range(3)]
    for member in members:
        await register(client, member, season["id"], date(2025, 9, 1))
    outsider = await new_contact(app, feed, "No", "Card")

    card = await client.get(f"/contacts/{members[0]}/card")
    assert card.status_code == 200, card.text
    assert card.headers["content-type"] == "application/pdf"
    assert card.content.startswith(b"%PDF")

    assert (await client.get(f"/contacts/{outsider}/card")).status_code == 404
    assert (await client.get(f"/contacts/{uuid.uuid4()}/card")).status_code == 404

    sheet = await client.post("/cards/sheet", json={"contact_ids": [str(m) for m in members]})
    assert sheet.status_code == 200, sheet.text
    assert sheet.content.startswith(b"%PDF")
    refused = await client.post(
        "/cards/sheet", json={"contact_ids": [str(members[0]), str(outsider)]}
    )
    assert refused.status_code == 422
    assert refused.json()["contact_ids"] == [str(outsider)]


async def test_a_scanned_card_is_valid_while_its_holder_is_a_member(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    feed: ContactsFeed,
    unique: str,
) -> None:
    season = await create_type(client, f"Scanned {unique}")
    holder = await new_contact(app, feed, "Scan", "Me")
    membership = await register(client, holder, season["id"], date(2025, 9, 1))
    token = token_for(settings, holder, date(2026, 8, 31))

    answer = (await client.get(f"/cards/verify/{token}")).json()
    assert (answer["valid"], answer["status"]) == (True, "valid")
    assert (answer["name"], answer["membership_type"]) == ("Scan Me", f"Scanned {unique}")
    assert answer["valid_until"] == "2026-08-31"
    same = (await client.get("/cards/verify", params={"token": token})).json()
    assert same["valid"] is True

    expired = token_for(settings, holder, date(2026, 1, 31))
    assert (await client.get(f"/cards/verify/{expired}")).json()["status"] == "expired"
    edited = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    forged = (await client.get(f"/cards/verify/{edited}")).json()
    assert (forged["valid"], forged["status"], forged["name"]) == (False, "invalid", None)

    await client.post(
        f"/memberships/{membership['id']}/end", json={"end_date": "2026-02-28", "reason": "other"}
    )
    ended = (await client.get(f"/cards/verify/{token}")).json()
    assert (ended["valid"], ended["status"]) == (False, "no_membership")
