"""The advanced search over HTTP: conditions of every kind combined by and / or / not,
keyset pages, chosen columns, hostile values; saved searches; a result list's ids and
batch group changes.

The tests share one database: each gives its contacts a unique `marker` last name part and
narrows every query to it with a `contains` condition.
"""

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from kring_platform.testing import TopicTail

from .helpers import new_contact_id
from .memberships_feed import MembershipsFeed

pytestmark = pytest.mark.integration


@pytest.fixture
def marker() -> str:
    return "q" + uuid.uuid4().hex[:10]


def mine(marker: str) -> dict[str, Any]:
    return {"kind": "text", "field": "last_name", "op": "contains", "value": marker}


def both(*conditions: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "and", "conditions": list(conditions)}


async def query(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/contacts/query", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def ids(client: httpx.AsyncClient, marker: str, condition: dict[str, Any] | None) -> set[str]:
    wanted = mine(marker) if condition is None else both(mine(marker), condition)
    result = await query(client, {"filter": wanted, "columns": ["id"], "limit": 500})
    return {item["id"] for item in result["items"]}


@pytest.fixture
async def people(client: httpx.AsyncClient, marker: str) -> dict[str, str]:
    today = date.today()
    return {
        "ann": await new_contact_id(
            client,
            first_name="Ann",
            last_name=f"Peeters {marker}",
            emails=[f"ann.{marker}@example.org"],
            phone="+32 470 12 34 56",
            address={"street": "Kerkstraat", "number": "5", "postcode": "9000", "city": "Gent"},
            iban="BE68 5390 0754 7034",
            birth_date=str(today.replace(year=today.year - 30) - timedelta(days=1)),
        ),
        "bob": await new_contact_id(
            client,
            first_name="Bob",
            last_name=f"Janssens {marker}",
            address={"postcode": "2000", "city": "Antwerpen"},
            birth_date=str(today.replace(year=today.year - 12)),
        ),
        "chloe": await new_contact_id(
            client,
            first_name="Chloé",
            last_name=f"Dubois {marker}",
            emails=[f"chloe.{marker}@example.be", f"c.{marker}@example.com"],
            address={"city": "Gentbrugge"},
        ),
    }


async def test_text_conditions(
    client: httpx.AsyncClient, marker: str, people: dict[str, str]
) -> None:
    def text(field: str, op: str, value: str | None = None) -> dict[str, Any]:
        condition = {"kind": "text", "field": field, "op": op}
        return condition if value is None else {**condition, "value": value}

    ann, bob, chloe = people["ann"], people["bob"], people["chloe"]
    assert await ids(client, marker, text("city", "equals", "GENT")) == {ann}
    assert await ids(client, marker, text("city", "contains", "gent")) == {ann, chloe}
    assert await ids(client, marker, text("city", "starts_with", "gentb")) == {chloe}
    assert await ids(client, marker, text("first_name", "contains", "CHLO")) == {chloe}
    assert await ids(client, marker, text("email", "starts_with", f"c.{marker}")) == {chloe}
    assert await ids(client, marker, text("email", "contains", "example.")) == {ann, chloe}
    assert await ids(client, marker, text("email", "equals", f"ANN.{marker}@example.org")) == {ann}
    assert await ids(client, marker, text("email", "empty")) == {bob}
    assert await ids(client, marker, text("phone", "contains", "470 1234")) == {ann}
    assert await ids(client, marker, text("iban", "contains", "5390 0754")) == {ann}
    assert await ids(client, marker, text("postcode", "not_empty")) == {ann, bob}
    assert await ids(client, marker, text("street", "empty")) == {bob, chloe}


async def test_dates_ages_and_logic(
    client: httpx.AsyncClient, marker: str, people: dict[str, str]
) -> None:
    ann, bob, chloe = people["ann"], people["bob"], people["chloe"]
    adults = {"kind": "age", "min": 18}
    assert await ids(client, marker, adults) == {ann}
    assert await ids(client, marker, {"kind": "age", "max": 12}) == {bob}
    assert await ids(client, marker, {"kind": "age", "min": 30, "max": 30}) == {ann}
    assert await ids(client, marker, {"kind": "not", "condition": adults}) == {bob, chloe}
    born = {"kind": "date", "field": "birth_date", "op": "empty"}
    assert await ids(client, marker, born) == {chloe}
    created_today = {"kind": "date", "field": "created_at", "after": str(date.today())}
    assert await ids(client, marker, created_today) == {ann, bob, chloe}
    either = {
        "kind": "or",
        "conditions": [
            adults,
            {"kind": "text", "field": "city", "op": "equals", "value": "antwerpen"},
        ],
    }
    assert await ids(client, marker, either) == {ann, bob}


async def test_groups_and_membership(
    client: httpx.AsyncClient,
    marker: str,
    people: dict[str, str],
    memberships_feed: MembershipsFeed,
) -> None:
    response = await client.post("/groups", json={"name": f"Volunteers {marker}"})
    group = response.json()["id"]
    await client.put(f"/groups/{group}/members/{people['bob']}")
    in_group = {"kind": "group", "op": "in", "group_ids": [group]}
    assert await ids(client, marker, in_group) == {people["bob"]}
    assert await ids(client, marker, {**in_group, "op": "not_in"}) == {
        people["ann"],
        people["chloe"],
    }
    assert await ids(client, marker, {"kind": "membership", "status": "member"}) == set()
    assert len(await ids(client, marker, {"kind": "membership", "status": "non_member"})) == 3


async def test_keyset_pages_cover_every_match_once(client: httpx.AsyncClient, marker: str) -> None:
    created = {
        await new_contact_id(client, first_name=f"P{i:02d}", last_name=f"Same {marker}")
        for i in range(7)
    }
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        body: dict[str, Any] = {
            "filter": mine(marker),
            "sort": [{"field": "first_name", "direction": "desc"}],
            "columns": ["id", "first_name"],
            "limit": 3,
            "with_total": True,
        }
        if cursor:
            body["cursor"] = cursor
        page = await query(client, body)
        assert page["total"] == len(created)
        seen.extend(item["id"] for item in page["items"])
        names = [item["first_name"] for item in page["items"]]
        assert names == sorted(names, reverse=True)
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) and set(seen) == created


async def test_chosen_columns_in_order(
    client: httpx.AsyncClient, marker: str, people: dict[str, str]
) -> None:
    condition = {"kind": "text", "field": "first_name", "op": "equals", "value": "ann"}
    columns = ["city", "age", "emails", "membership_status", "groups", "iban"]
    result = await query(client, {"filter": both(mine(marker), condition), "columns": columns})
    [row] = result["items"]
    assert list(row) == columns
    assert row["city"] == "Gent" and row["age"] == 30 and row["iban"] == "BE68539007547034"
    assert row["emails"] == [f"ann.{marker}@example.org"]
    assert row["membership_status"] == "non_member" and row["groups"] == []


@pytest.mark.parametrize(
    "value",
    ["' OR 1=1 --", "%", "_", "\\", "a%b_c\\d", "Ŝtràñgé ñame 🎉", "'; DROP TABLE contacts; --"],
)
async def test_hostile_values_match_literally(
    client: httpx.AsyncClient, marker: str, value: str
) -> None:
    plain = await new_contact_id(client, first_name="Plain", last_name=f"Name {marker}")
    odd = await new_contact_id(client, first_name=value, last_name=f"Name {marker}")
    for op in ("contains", "equals", "starts_with"):
        condition = {"kind": "text", "field": "first_name", "op": op, "value": value}
        assert await ids(client, marker, condition) == {odd}, op
    assert await ids(client, marker, None) == {plain, odd}


@pytest.mark.parametrize(
    "body",
    [
        {"filter": {"kind": "text", "field": "first_name", "op": "contains", "value": "a\x00b"}},
        {"filter": {"kind": "text", "field": "first_name", "op": "contains"}},
        {"filter": {"kind": "text", "field": "password", "op": "equals", "value": "x"}},
        {"filter": {"kind": "text", "field": "first_name", "op": "like", "value": "x"}},
        {"filter": {"kind": "sql", "where": "1=1"}},
        {"filter": {"kind": "group", "group_ids": ["not-a-uuid"]}},
        {"filter": {"kind": "age", "min": 40, "max": 20}},
        {"filter": {"kind": "and", "conditions": []}},
        {"filter": {"kind": "text", "field": "city", "op": "equals", "value": "x" * 201}},
        {"sort": [{"field": "id; DROP TABLE contacts"}]},
        {"columns": ["search_text"]},
        {"cursor": "garbage!!"},
        {"cursor": "eyJzb3J0IjogWyJjaXR5OmFzYyJdLCAidmFsdWVzIjogWyJ4Il0sICJpZCI6ICJ4In0"},
        {"limit": 0},
    ],
)
async def test_bad_queries_are_refused(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    response = await client.post("/contacts/query", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_too_deep_a_tree_is_refused(client: httpx.AsyncClient) -> None:
    condition: dict[str, Any] = {"kind": "age", "min": 1}
    for _ in range(12):
        condition = {"kind": "not", "condition": condition}
    response = await client.post("/contacts/query", json={"filter": condition})
    assert response.status_code == 422


async def test_saved_search_runs_on_current_data(client: httpx.AsyncClient, marker: str) -> None:
    first = await new_contact_id(client, last_name=f"Saved {marker}")
    body = {
        "name": f"Everyone {marker}",
        "owner": f"owner-{marker}",
        "shared": False,
        "query": {"filter": mine(marker), "columns": ["id", "last_name"]},
    }
    response = await client.post("/saved-searches", json=body)
    assert response.status_code == 201, response.text
    saved = response.json()
    assert saved["query"]["filter"] == mine(marker)
    second = await new_contact_id(client, last_name=f"Later {marker}")  # after saving

    results = await client.get(
        f"/saved-searches/{saved['id']}/results", params={"with_total": True}
    )
    assert results.status_code == 200
    assert {item["id"] for item in results.json()["items"]} == {first, second}
    assert results.json()["total"] == 2

    # Private: only among its owner's useful searches, until shared.
    async def useful(owner: str) -> set[str]:
        listed = await client.get("/saved-searches", params={"owner": owner, "limit": 500})
        return {item["id"] for item in listed.json()["items"]}

    assert saved["id"] in await useful(f"owner-{marker}")
    assert saved["id"] not in await useful("someone else")
    patched = await client.patch(
        f"/saved-searches/{saved['id']}", json={"shared": True, "name": "Renamed"}
    )
    assert patched.status_code == 200 and patched.json()["name"] == "Renamed"
    assert saved["id"] in await useful("someone else")

    assert (await client.delete(f"/saved-searches/{saved['id']}")).status_code == 204
    assert (await client.get(f"/saved-searches/{saved['id']}")).status_code == 404
    assert (await client.get(f"/saved-searches/{saved['id']}/results")).status_code == 404


async def test_contact_ids_page_through_a_saved_search(
    client: httpx.AsyncClient, marker: str
) -> None:
    created = {await new_contact_id(client, last_name=f"Ids {marker}") for _ in range(5)}
    body = {"name": "ids", "owner": "me", "query": {"filter": mine(marker)}}
    saved = (await client.post("/saved-searches", json=body)).json()
    collected: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (
            await client.get(f"/saved-searches/{saved['id']}/contact-ids", params=params)
        ).json()
        collected.extend(page["contact_ids"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(collected) == sorted(created)
    adhoc = await client.post("/contacts/query/ids", json={"filter": mine(marker), "limit": 10})
    assert set(adhoc.json()["contact_ids"]) == created


async def test_batch_group_changes_emit_an_event_per_contact(
    client: httpx.AsyncClient, marker: str, topic_tail: TopicTail
) -> None:
    created = {await new_contact_id(client, last_name=f"Batch {marker}") for _ in range(4)}
    group = (await client.post("/groups", json={"name": f"Batch {marker}"})).json()["id"]
    already = next(iter(created))
    await client.put(f"/groups/{group}/members/{already}")

    body = {"group_id": group, "query": {"filter": mine(marker)}}
    added = await client.post("/contacts/query/add-to-group", json=body)
    assert added.json() == {"matched": 4, "changed": 3, "unchanged": 1}
    members = (await client.get(f"/groups/{group}/members")).json()["items"]
    assert {member["id"] for member in members} == created

    removed = await client.post("/contacts/query/remove-from-group", json=body)
    assert removed.json() == {"matched": 4, "changed": 4, "unchanged": 0}
    assert (await client.get(f"/groups/{group}/members")).json()["items"] == []

    # Each contact: created, added (by hand or by the batch), removed by the batch.
    for contact in created:
        events = await topic_tail.events_about(contact, count=3)
        assert [event["type"].rsplit(".", 2)[-2:] for event in events] == [
            ["contact", "created"],
            ["group_member", "added"],
            ["group_member", "removed"],
        ]
    unknown = {"group_id": str(uuid.uuid4()), "query": {"filter": mine(marker)}}
    assert (await client.post("/contacts/query/add-to-group", json=unknown)).status_code == 404


async def test_family_and_company_links(
    client: httpx.AsyncClient, marker: str, people: dict[str, str]
) -> None:
    family = (await client.post("/families", json={"name": f"Peeters {marker}"})).json()["id"]
    linked = await client.put(
        f"/families/{family}/members/{people['ann']}", json={"role": "parent"}
    )
    assert linked.status_code == 201, linked.text
    company = (await client.post("/companies", json={"name": f"Acme {marker}"})).json()["id"]
    linked = await client.put(
        f"/companies/{company}/contacts/{people['bob']}", json={"role": "manager"}
    )
    assert linked.status_code == 201, linked.text

    assert await ids(client, marker, {"kind": "family"}) == {people["ann"]}
    assert await ids(client, marker, {"kind": "family", "family_ids": [family]}) == {people["ann"]}
    assert await ids(client, marker, {"kind": "family", "linked": False}) == {
        people["bob"],
        people["chloe"],
    }
    assert await ids(client, marker, {"kind": "company", "company_ids": [company]}) == {
        people["bob"]
    }
    assert (
        await ids(client, marker, {"kind": "company", "company_ids": [str(uuid.uuid4())]}) == set()
    )
