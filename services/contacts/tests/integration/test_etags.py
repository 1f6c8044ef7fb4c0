"""Optimistic concurrency: ETag from `version`, If-Match checked under the row lock."""

import asyncio

import httpx
import pytest

from kring_platform.testing.etags import check_etag_round_trip, etag_of

from .helpers import new_company, new_contact, new_family, unique

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("kind", ["contacts", "groups", "families", "companies"])
async def test_etag_and_if_match(client: httpx.AsyncClient, kind: str) -> None:
    name = unique("Etag")
    if kind == "contacts":
        path = f"/contacts/{await new_contact(client, 'Eti', name)}"
        change = {"last_name": unique("Changed")}
    elif kind == "groups":
        group = await client.post("/groups", json={"name": name})
        path = f"/groups/{group.json()['id']}"
        change = {"name": unique("Renamed")}
    elif kind == "families":
        path = f"/families/{(await new_family(client, name))['id']}"
        change = {"name": unique("Renamed")}
    else:
        path = f"/companies/{(await new_company(client, name))['id']}"
        change = {"name": unique("Renamed")}
    await check_etag_round_trip(client, path, change)


async def test_two_writers_with_one_etag_cannot_both_win(client: httpx.AsyncClient) -> None:
    path = f"/contacts/{await new_contact(client, 'Two', unique('Writers'))}"
    tag = etag_of(await client.get(path))
    answers = await asyncio.gather(
        *(
            client.patch(path, json={"first_name": f"W{i}"}, headers={"If-Match": tag})
            for i in range(4)
        )
    )
    assert sorted(answer.status_code for answer in answers) == [200, 412, 412, 412]
    winner = next(answer for answer in answers if answer.status_code == 200)
    assert (await client.get(path)).json() == winner.json()


async def test_without_if_match_or_with_a_star_a_change_is_unconditional(
    client: httpx.AsyncClient,
) -> None:
    path = f"/contacts/{await new_contact(client, 'No', unique('Condition'))}"
    assert (await client.patch(path, json={"first_name": "A"})).status_code == 200
    starred = await client.patch(path, json={"first_name": "B"}, headers={"If-Match": "*"})
    assert starred.status_code == 200 and starred.headers["etag"] == '"3"'
