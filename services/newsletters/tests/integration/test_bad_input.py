"""Every endpoint refuses bad input with a 4xx problem+json response and changes nothing."""

import uuid
from functools import partial
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kring_platform.testing import asgi_client, assert_refused_unchanged, wait_applied

from .helpers import create_list, known_contact, state_snapshot
from .kafka_helpers import ContactsFeed

pytestmark = pytest.mark.integration

UNKNOWN = str(uuid.uuid4())
LONG_NAME = "x" * 201


@pytest.fixture(scope="module")
async def world(app: FastAPI, feed: ContactsFeed) -> dict[str, str]:
    """A list, a second one, a deleted one, a contact opted out of the first, a deleted
    group: what the refused requests point at."""
    suffix = uuid.uuid4().hex[:8]
    async with asgi_client(app, "http://newsletters") as client:
        taken = await create_list(client, f"Taken {suffix}")
        other = await create_list(client, f"Other {suffix}")
        deleted = await create_list(client, f"Deleted {suffix}")
        assert (await client.delete(f"/lists/{deleted['id']}")).status_code == 204
        contact = await known_contact(app, feed, "Bad", "Input", "bad@example.org")
        opted_out = await client.post(
            f"/contacts/{contact}/opt-outs", json={"list_id": taken["id"]}
        )
        assert opted_out.status_code == 200
    group = await feed.group(f"Gone {suffix}")
    await wait_applied(app, await feed.delete_group(group, f"Gone {suffix}"))
    return {
        "list": taken["id"],
        "name": f"Taken {suffix}",
        "other": other["id"],
        "deleted_list": deleted["id"],
        "contact": str(contact),
        "deleted_group": str(group),
        "unknown": UNKNOWN,
    }


# (method, path, JSON body or None, expected status); {names} come from `world`.
CASES: dict[str, tuple[str, str, Any, int]] = {
    "create: no body": ("POST", "/lists", None, 422),
    "create: empty name": ("POST", "/lists", {"name": ""}, 422),
    "create: blank name": ("POST", "/lists", {"name": "   "}, 422),
    "create: name too long": ("POST", "/lists", {"name": LONG_NAME}, 422),
    "create: NUL in name": ("POST", "/lists", {"name": "a\x00b"}, 422),
    "create: name not text": ("POST", "/lists", {"name": 42}, 422),
    "create: unknown field": ("POST", "/lists", {"name": "Fine", "group": "x"}, 422),
    "create: name taken, other case": ("POST", "/lists", {"name": "{upper_name}"}, 409),
    "page: limit 0": ("GET", "/lists?limit=0", None, 422),
    "page: limit too big": ("GET", "/lists?limit=501", None, 422),
    "page: negative offset": ("GET", "/lists?offset=-1", None, 422),
    "page: limit not a number": ("GET", "/lists?limit=ten", None, 422),
    "get: not a uuid": ("GET", "/lists/nope", None, 422),
    "get: unknown": ("GET", "/lists/{unknown}", None, 404),
    "get: deleted": ("GET", "/lists/{deleted_list}", None, 404),
    "rename: unknown": ("PATCH", "/lists/{unknown}", {"name": "New"}, 404),
    "rename: deleted": ("PATCH", "/lists/{deleted_list}", {"name": "New"}, 404),
    "rename: empty name": ("PATCH", "/lists/{other}", {"name": ""}, 422),
    "rename: too long": ("PATCH", "/lists/{other}", {"name": LONG_NAME}, 422),
    "rename: name taken": ("PATCH", "/lists/{other}", {"name": "{lower_name}"}, 409),
    "delete: not a uuid": ("DELETE", "/lists/123", None, 422),
    "delete: unknown": ("DELETE", "/lists/{unknown}", None, 404),
    "delete: deleted": ("DELETE", "/lists/{deleted_list}", None, 404),
    "link: unknown list": ("PUT", "/lists/{unknown}/group", {"group_id": "{unknown}"}, 404),
    "link: unknown group": ("PUT", "/lists/{other}/group", {"group_id": "{unknown}"}, 404),
    "link: deleted group": ("PUT", "/lists/{other}/group", {"group_id": "{deleted_group}"}, 404),
    "link: group id not a uuid": ("PUT", "/lists/{other}/group", {"group_id": "x"}, 422),
    "link: no body": ("PUT", "/lists/{other}/group", None, 422),
    "unlink: unknown list": ("DELETE", "/lists/{unknown}/group", None, 404),
    "subscribers: unknown list": ("GET", "/lists/{unknown}/subscribers", None, 404),
    "subscribers: bad limit": ("GET", "/lists/{list}/subscribers?limit=-5", None, 422),
    "subscribe: unknown list": (
        "POST",
        "/lists/{unknown}/subscribers",
        {"contact_id": "{contact}"},
        404,
    ),
    "subscribe: unknown contact": (
        "POST",
        "/lists/{other}/subscribers",
        {"contact_id": "{unknown}"},
        404,
    ),
    "subscribe: opted out": ("POST", "/lists/{list}/subscribers", {"contact_id": "{contact}"}, 409),
    "subscribe: contact id missing": ("POST", "/lists/{other}/subscribers", {}, 422),
    "subscribe: contact id not a uuid": (
        "POST",
        "/lists/{other}/subscribers",
        {"contact_id": "12"},
        422,
    ),
    "unsubscribe: unknown list": ("DELETE", "/lists/{unknown}/subscribers/{contact}", None, 404),
    "unsubscribe: unknown contact": ("DELETE", "/lists/{other}/subscribers/{unknown}", None, 404),
    "unsubscribe: not a uuid": ("DELETE", "/lists/{other}/subscribers/abc", None, 422),
    "standing: unknown contact": ("GET", "/contacts/{unknown}/subscriptions", None, 404),
    "standing: not a uuid": ("GET", "/contacts/abc/subscriptions", None, 422),
    "opt out: unknown contact": (
        "POST",
        "/contacts/{unknown}/opt-outs",
        {"list_id": "{other}"},
        404,
    ),
    "opt out: unknown list": (
        "POST",
        "/contacts/{contact}/opt-outs",
        {"list_id": "{unknown}"},
        404,
    ),
    "opt out: deleted list": (
        "POST",
        "/contacts/{contact}/opt-outs",
        {"list_id": "{deleted_list}"},
        404,
    ),
    "opt out: no list": ("POST", "/contacts/{contact}/opt-outs", {}, 422),
    "opt in: unknown contact": ("DELETE", "/contacts/{unknown}/opt-outs/{list}", None, 404),
    "opt in: unknown list": ("DELETE", "/contacts/{contact}/opt-outs/{unknown}", None, 404),
    "no such route": ("GET", "/mailing-lists", None, 404),
    "wrong method": ("PUT", "/lists", {"name": "x"}, 405),
}


def filled(template: Any, world: dict[str, str]) -> Any:
    names = {**world, "upper_name": world["name"].upper(), "lower_name": world["name"].lower()}
    if isinstance(template, str):
        return template.format(**names)
    if isinstance(template, dict):
        return {key: filled(value, world) for key, value in template.items()}
    return template


@pytest.mark.parametrize("case", CASES)
async def test_bad_input_is_refused_with_a_problem(
    app: FastAPI, client: httpx.AsyncClient, world: dict[str, str], case: str
) -> None:
    method, path, body, status = CASES[case]
    await assert_refused_unchanged(
        client,
        method,
        filled(path, world),
        status,
        partial(state_snapshot, app),
        json=filled(body, world) if body is not None else None,
    )
