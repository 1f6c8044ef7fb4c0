"""Quick search over HTTP: every field, any part of it, ignoring case and accents, ranked.

The tests share one database, so each gives its contacts a unique word (`marker`) and
searches for it alongside what it tests, or checks only for its own contacts.
"""

import uuid

import httpx
import pytest

from kring_contacts.search import quick_search

from .helpers import new_contact_id

pytestmark = pytest.mark.integration


async def found(client: httpx.AsyncClient, q: str, limit: int = 100) -> list[str]:
    response = await client.get("/contacts/search", params={"q": q, "limit": limit})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def marker() -> str:
    return "m" + uuid.uuid4().hex[:10]


@pytest.fixture
async def jose(client: httpx.AsyncClient, marker: str) -> str:
    return await new_contact_id(
        client,
        first_name="José",
        last_name=f"García-{marker}",
        emails=[f"pepe.{marker}@Example.org"],
        phone="+32 470 12 34 56",
        address={
            "street": "Rue de l'Église",
            "number": "7",
            "postcode": "B-7310",
            "city": "Jurbise",
        },
        iban="BE68 5390 0754 7034",
    )


@pytest.mark.parametrize(
    "q",
    [
        "jose",  # accent-insensitive
        "JOSÉ",
        "garc",  # part of a name
        "arcia",
        "B-7310",  # postcode
        "7310",
        "jurbise",  # city
        "URBIS",
        "eglise",  # street, without its accent
        "pepe.",  # part of an e-mail
        "example.org",
        "470 12",  # part of a phone, typed with or without spaces and punctuation
        "+32470123456",
        "0754 7034",  # IBAN, with or without spaces
        "BE68 5390 0754 7034",
        "be68539007547034",
    ],
)
async def test_finds_a_contact_by_any_field(
    client: httpx.AsyncClient, jose: str, marker: str, q: str
) -> None:
    assert jose in await found(client, f"{q} {marker}")


async def test_finds_by_a_single_fragment(
    client: httpx.AsyncClient, jose: str, marker: str
) -> None:
    assert await found(client, marker) == [jose]
    assert await found(client, f"pepe.{marker}@example") == [jose]


async def test_every_word_must_match(client: httpx.AsyncClient, jose: str, marker: str) -> None:
    assert await found(client, f"jose {marker} antwerpen") == []


async def test_wildcards_are_taken_literally(client: httpx.AsyncClient, marker: str) -> None:
    percent = await new_contact_id(client, first_name="50%off", last_name=f"Sure{marker}")
    underscore = await new_contact_id(client, first_name="a_b", last_name=f"Sure{marker}")
    backslash = await new_contact_id(client, first_name="c\\d", last_name=f"Sure{marker}")
    plain = await new_contact_id(client, first_name="50xoff axb cxd", last_name=f"Sure{marker}")
    assert await found(client, f"0%o {marker}") == [percent]
    assert await found(client, f"a_b {marker}") == [underscore]
    assert await found(client, f"c\\d {marker}") == [backslash]
    assert set(await found(client, f"sure{marker}")) == {percent, underscore, backslash, plain}


async def test_short_tokens_alone_match_at_a_word_start(
    client: httpx.AsyncClient, jose: str
) -> None:
    # Fewer than three letters in a row cannot be looked up inside words by the index.
    assert jose in await found(client, "jo", limit=500)
    assert jose in await found(client, "ju ru", limit=500)
    assert jose not in await found(client, "os", limit=500)
    assert jose not in await found(client, "se", limit=500)


async def test_a_query_without_letters_or_digits_finds_nothing(client: httpx.AsyncClient) -> None:
    response = await client.get("/contacts/search", params={"q": "% & _ +"})
    assert response.status_code == 200 and response.json()["items"] == []


async def test_deleted_contacts_are_hidden(
    client: httpx.AsyncClient, jose: str, marker: str
) -> None:
    await client.delete(f"/contacts/{jose}")
    assert await found(client, marker) == []


async def test_changes_are_searchable_at_once(
    client: httpx.AsyncClient, jose: str, marker: str
) -> None:
    await client.patch(f"/contacts/{jose}", json={"address": {"city": "Mons"}})
    assert await found(client, f"mons {marker}") == [jose]
    assert await found(client, f"jurbise {marker}") == []


async def test_an_exact_name_ranks_first(client: httpx.AsyncClient, marker: str) -> None:
    others = [
        await new_contact_id(client, first_name="Annabel", last_name=marker),
        await new_contact_id(client, first_name="Joanna", last_name=marker),
        await new_contact_id(
            client, first_name="Bob", last_name=marker, address={"street": "Annastraat"}
        ),
    ]
    exact = await new_contact_id(client, first_name="Ann", last_name=marker)
    ranked = await found(client, f"ann {marker}")
    assert ranked[0] == exact
    assert set(ranked) == {exact, *others}
    # A name word that starts like the query ranks above one that only contains it.
    assert ranked.index(others[0]) < ranked.index(others[1])


async def test_an_exact_name_is_found_beyond_the_candidate_limit(
    client: httpx.AsyncClient, marker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quick_search, "CANDIDATE_LIMIT", 3)
    for n in range(6):
        await new_contact_id(client, first_name=f"Jansen{n}", last_name=marker)
    jan = await new_contact_id(client, first_name="Jan", last_name=marker)
    response = await client.get("/contacts/search", params={"q": f"jan {marker}"})
    page = response.json()
    assert page["items"][0]["id"] == jan
    assert page["complete"] is False


async def test_results_are_paged(client: httpx.AsyncClient, marker: str) -> None:
    ids = {await new_contact_id(client, first_name=f"P{n}", last_name=marker) for n in range(5)}
    seen: list[str] = []
    for offset in (0, 2, 4):
        response = await client.get(
            "/contacts/search", params={"q": marker, "limit": 2, "offset": offset}
        )
        page = response.json()
        assert page["total"] == 5 and page["complete"] is True
        seen += [item["id"] for item in page["items"]]
    assert len(seen) == 5 and set(seen) == ids
    # Past the last candidate: an empty page that still says how many there are.
    response = await client.get("/contacts/search", params={"q": marker, "offset": 5})
    assert response.json()["items"] == []
    assert response.json()["total"] == 5 and response.json()["complete"] is True


async def test_a_blank_query_finds_nothing(client: httpx.AsyncClient) -> None:
    response = await client.get("/contacts/search", params={"q": "   "})
    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["total"] == 0
