"""The affiliation export's events on `kring.memberships.v1`, from the same transactions as
the changes: a profile made and changed (`affiliation_profile.saved`), an export made with
its mode and counts (`affiliation_export.made`); subject and key the profile id, sequence
its version. A refused save or export publishes nothing."""

import uuid
from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from kring_contracts.contacts import Address, ContactCreated, ContactDetails
from kring_platform.testing import eventually, wait_applied

from .helpers import create_type, register
from .kafka_helpers import ContactsFeed, PublishedEvents

pytestmark = pytest.mark.integration

SEASON_START = date(2025, 9, 1)


async def _member(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, type_id: str
) -> None:
    contact_id = uuid.uuid4()
    details = ContactDetails(
        first_name="Ann",
        last_name=f"Aerts {contact_id.hex[:6]}",
        address=Address(street="Kerkstraat", number="1", postcode="9000", city="Gent"),
    )
    await wait_applied(app, await feed.send(ContactCreated(contact_id=contact_id, contact=details)))
    await register(client, contact_id, type_id, SEASON_START)


async def test_profile_saves_and_exports_are_published_refusals_are_not(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    published: PublishedEvents,
    unique: str,
) -> None:
    club_type = await create_type(client, f"Competitie {unique}")
    for _ in range(2):
        await _member(app, client, feed, club_type["id"])
    body = {
        "name": f"Federatie {unique}",
        "federation": "Sportfederatie Vlaanderen",
        "columns": [{"column": "member_number", "header": "Lidnummer"}, {"column": "last_name"}],
        "type_ids": [club_type["id"]],
    }
    made = await client.post("/affiliation/profiles", json=body)
    assert made.status_code == 201, made.text
    profile_id = made.json()["id"]

    # Refused: an unknown type (422) and a name another profile has (409); nothing changes.
    unknown = await client.put(
        f"/affiliation/profiles/{profile_id}", json={**body, "type_ids": [str(uuid.uuid4())]}
    )
    assert unknown.status_code == 422, unknown.text
    other = await client.post("/affiliation/profiles", json={**body, "name": f"Ander {unique}"})
    assert other.status_code == 201, other.text
    taken = await client.put(
        f"/affiliation/profiles/{profile_id}", json={**body, "name": f"ander {unique}"}
    )
    assert taken.status_code == 409, taken.text
    missing = await client.post(
        f"/affiliation/profiles/{uuid.uuid4()}/exports", json={"mode": "full"}
    )
    assert missing.status_code == 404, missing.text

    renamed = await client.put(
        f"/affiliation/profiles/{profile_id}", json={**body, "federation": "Gymfed"}
    )
    assert renamed.status_code == 200, renamed.text
    full = await client.post(f"/affiliation/profiles/{profile_id}/exports", json={"mode": "full"})
    assert full.status_code == 201, full.text
    delta = await client.post(f"/affiliation/profiles/{profile_id}/exports", json={"mode": "delta"})
    assert delta.status_code == 201, delta.text

    # Published in commit order: once the delta's event is out, everything before it is.
    events = await eventually(
        lambda: published.about(profile_id),
        until=lambda found: any(e.data.get("mode") == "delta" for e in found),
    )
    assert [(e.type, e.sequence) for e in events] == [
        ("kring.memberships.affiliation_profile.saved", 1),
        ("kring.memberships.affiliation_profile.saved", 2),
        ("kring.memberships.affiliation_export.made", 3),
        ("kring.memberships.affiliation_export.made", 4),
    ]
    assert published.keys_of(profile_id) == {profile_id}
    created, changed, full_made, delta_made = (e.data for e in events)
    assert (created["created"], changed["created"]) == (True, False)
    assert (created["federation"], changed["federation"]) == ("Sportfederatie Vlaanderen", "Gymfed")
    assert changed["columns"] == renamed.json()["columns"]
    assert changed["type_ids"] == [club_type["id"]]
    for event, answer in ((full_made, full.json()), (delta_made, delta.json())):
        assert event["export_id"] == answer["id"]
        assert event["file_name"] == answer["file_name"]
        assert (event["number"], event["mode"], event["members"], event["rows"]) == (
            answer["number"],
            answer["mode"],
            answer["members"],
            answer["rows"],
        )
        assert (event["new"], event["changed"], event["ended"]) == (
            answer["new"],
            answer["changed"],
            answer["ended"],
        )
    assert (full_made["members"], full_made["new"]) == (2, None)
    assert (delta_made["rows"], delta_made["new"], delta_made["changed"]) == (0, 0, 0)
