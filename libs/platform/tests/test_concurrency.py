"""If-Match parsing and the 412 problem it leads to (pure, no I/O)."""

import httpx
import pytest
from fastapi import FastAPI, Response

from kring_platform.concurrency import (
    ANY,
    EntityTag,
    IfMatch,
    check_if_match,
    etag,
    if_match_allows,
    parse_if_match,
    set_etag,
)
from kring_platform.problems import PROBLEM_JSON, install_problem_handlers


def test_an_etag_is_the_quoted_version_weak_when_asked() -> None:
    assert etag(7) == '"7"'
    assert etag(7, weak=True) == 'W/"7"'


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        (None, None),
        ("*", ANY),
        (" * ", ANY),
        ('"3"', [EntityTag("3")]),
        ('W/"3"', [EntityTag("3", weak=True)]),
        ('"1", W/"2" ,"3"', [EntityTag("1"), EntityTag("2", weak=True), EntityTag("3")]),
        ('"a,b", "c"', [EntityTag("a,b"), EntityTag("c")]),
        ("4", [EntityTag("4")]),
        (' , "5",', [EntityTag("5")]),
        ("", []),
    ],
)
def test_if_match_is_parsed_as_a_list_of_tags(
    header: str | None, parsed: list[EntityTag] | str | None
) -> None:
    assert parse_if_match(header) == parsed


@pytest.mark.parametrize(
    ("header", "allowed"),
    [
        (None, True),  # no If-Match: unconditional, as before
        ("*", True),
        ('"3"', True),
        ('W/"3"', True),  # the version names the state, so a weakened tag still matches
        ('"1", "3"', True),
        ('"2"', False),
        ('"33"', False),
        ('"1", W/"2"', False),
        ("", False),
        ("garbage", False),
    ],
)
def test_if_match_allows_the_current_version_only(header: str | None, allowed: bool) -> None:
    assert if_match_allows(header, 3) is allowed


async def test_a_stale_if_match_is_a_412_problem_with_the_current_version() -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.patch("/things/1")
    async def change(response: Response, if_match: IfMatch = None) -> dict[str, int]:
        check_if_match(if_match, 4, current={"id": 1, "version": 4, "name": "now"})
        set_etag(response, 5)
        return {"version": 5}

    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        stale = await client.patch("/things/1", headers={"If-Match": '"3"'})
        fresh = await client.patch("/things/1", headers={"If-Match": '"4"'})
        unconditional = await client.patch("/things/1")

    assert stale.status_code == 412
    assert stale.headers["content-type"] == PROBLEM_JSON
    assert stale.headers["etag"] == '"4"'
    problem = stale.json()
    assert (problem["status"], problem["title"]) == (412, "Precondition Failed")
    assert problem["current_version"] == 4
    assert problem["current"] == {"id": 1, "version": 4, "name": "now"}
    assert (fresh.status_code, fresh.headers["etag"]) == (200, '"5"')
    assert unconditional.status_code == 200
