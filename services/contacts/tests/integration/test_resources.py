"""Resources over HTTP: profiles, allocations to a contact or a group, overlaps refused by the
database (409, also between concurrent requests), and QR codes that open the profile."""

import asyncio
import io
import xml.etree.ElementTree as ElementTree

import httpx
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import text

from kring_contacts.settings import Settings
from kring_platform.db import Database
from kring_platform.testing import assert_refused_unchanged, created

from .helpers import new_contact, new_resource, unique

pytestmark = pytest.mark.integration


async def test_a_resource_is_allocated_in_turn_and_overlaps_are_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    locker = await new_resource(
        client, unique("Locker"), code=unique("L"), location="Dressing room 2"
    )
    url = f"/resources/{locker['id']}/allocations"
    ann = await new_contact(client, "Ann", "Locker")
    bob = await new_contact(client, "Bob", "Locker")
    season = created(
        await client.post(
            url, json={"contact_id": ann, "start_date": "2026-09-01", "end_date": "2027-06-30"}
        )
    )

    async def allocations() -> object:
        async with database.transaction() as session:
            rows = await session.execute(
                text(
                    "SELECT id, start_date, end_date FROM resource_allocations"
                    " WHERE resource_id = :r"
                ),
                {"r": locker["id"]},
            )
            return sorted(rows.all())

    for overlapping in (
        {"start_date": "2027-06-30"},  # both ends are included: the last day is taken
        {"start_date": "2026-01-01", "end_date": "2026-09-01"},
        {"start_date": "2026-10-01", "end_date": "2026-10-02"},
        {"start_date": "2020-01-01"},  # no end: overlaps everything after
    ):
        problem = await assert_refused_unchanged(
            client, "POST", url, 409, allocations, json={"contact_id": bob, **overlapping}
        )
        assert problem["conflicting_allocation_id"] == season["id"]

    after = created(await client.post(url, json={"contact_id": bob, "start_date": "2027-07-01"}))
    # Reopening Ann's allocation would now overlap Bob's.
    await assert_refused_unchanged(
        client, "PATCH", f"{url}/{season['id']}", 409, allocations, json={"end_date": None}
    )
    ended = await client.patch(f"{url}/{season['id']}", json={"end_date": "2027-05-31"})
    assert ended.status_code == 200 and ended.json()["end_date"] == "2027-05-31"

    history = (await client.get(url)).json()
    assert [item["id"] for item in history["items"]] == [after["id"], season["id"]]
    held = (await client.get(f"/contacts/{bob}/resources")).json()
    assert [item["id"] for item in held] == [after["id"]]

    profile = (await client.get(f"/resources/{locker['id']}")).json()
    assert profile["location"] == "Dressing room 2"
    assert [a["id"] for a in profile["allocations"]] == [season["id"], after["id"]]


async def test_two_allocations_at_once_one_wins(client: httpx.AsyncClient) -> None:
    key = await new_resource(client, unique("Key"), kind="key")
    contacts = [await new_contact(client, name, "Racer") for name in ("Ann", "Bob", "Cas")]
    responses = await asyncio.gather(
        *(
            client.post(
                f"/resources/{key['id']}/allocations",
                json={"contact_id": contact, "start_date": "2026-05-01"},
            )
            for contact in contacts
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409]


async def test_a_group_can_hold_a_resource(client: httpx.AsyncClient) -> None:
    pitch = await new_resource(client, unique("Pitch"), kind="pitch")
    group = created(await client.post("/groups", json={"name": unique("U12")}))
    allocation = created(
        await client.post(
            f"/resources/{pitch['id']}/allocations",
            json={"group_id": group["id"], "start_date": "2026-01-01", "note": "Saturdays"},
        )
    )
    assert allocation["group_id"] == group["id"] and allocation["contact_id"] is None
    pitches = (await client.get("/resources", params={"kind": "pitch", "limit": 200})).json()
    assert pitch["id"] in [item["id"] for item in pitches["items"]]
    assert all(item["kind"] == "pitch" for item in pitches["items"])


async def test_bad_allocations_are_refused(client: httpx.AsyncClient, database: Database) -> None:
    kit = await new_resource(client, unique("Kit"), kind="kit")
    url = f"/resources/{kit['id']}/allocations"
    contact = await new_contact(client, "Kit", "Holder")
    gone = await new_contact(client, "Gone", "Holder")
    await client.delete(f"/contacts/{gone}")
    group = created(await client.post("/groups", json={"name": unique("Kit group")}))

    async def allocations() -> object:
        async with database.transaction() as session:
            return await session.scalar(text("SELECT count(*) FROM resource_allocations"))

    for body, status in (
        ({"start_date": "2026-01-01"}, 422),  # nobody
        ({"contact_id": contact, "group_id": group["id"], "start_date": "2026-01-01"}, 422),
        ({"contact_id": contact, "start_date": "2026-02-01", "end_date": "2026-01-01"}, 422),
        ({"contact_id": gone, "start_date": "2026-01-01"}, 404),
        ({"contact_id": contact, "start_date": "not a date"}, 422),
    ):
        await assert_refused_unchanged(client, "POST", url, status, allocations, json=body)
    code = unique("K")
    await new_resource(client, unique("Kit"), kind="kit", code=code)
    await assert_refused_unchanged(
        client,
        "POST",
        "/resources",
        409,
        allocations,
        json={"name": "x", "kind": "kit", "code": code},
    )
    await assert_refused_unchanged(
        client, "POST", "/resources", 422, allocations, json={"name": "x", "kind": "boat"}
    )


async def test_the_qr_code_opens_the_resource_profile(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    locker = await new_resource(client, unique("QR locker"))
    target = f"{settings.resource_profile_base_url.rstrip('/')}/{locker['id']}"
    assert locker["qr"]["target"] == target

    png = await client.get(locker["qr"]["png"])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert [code.text for code in decoded] == [target]

    svg = await client.get(locker["qr"]["svg"])
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert ElementTree.fromstring(svg.content).tag.endswith("svg")

    assert (await client.delete(f"/resources/{locker['id']}")).status_code == 204
    assert (await client.get(locker["qr"]["png"])).status_code == 404
