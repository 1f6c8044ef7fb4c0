"""Forwarding to the services: the policy first, then the call with the signed identity,
request id and trace context; a service that is down answers 503 for its routes only."""

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kring_gateway.main import create_app
from kring_gateway.roles import Role

from .conftest import Logins, client_of, down, gateway_settings, transports

pytestmark = pytest.mark.integration

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


async def test_the_service_gets_the_callers_identity_signed_and_nothing_forged(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    headers = await logins.headers(Role.SECRETARY)
    response = await client.get(
        "/api/v1/contacts/contacts/search",
        params={"q": "peet"},
        headers={
            **headers,
            "Kring-Identity": "v1.forged.forged",
            "Cookie": "session=abc",
            "X-Request-ID": "client-request-0001",
            "traceparent": TRACEPARENT,
        },
    )
    assert response.status_code == 200, response.text
    echoed = response.json()
    assert echoed["raw_path"] == "/contacts/search"
    assert echoed["query"] == "q=peet"
    # The stand-in service verified the gateway's signature with the platform's check.
    me = (await client.get("/api/v1/auth/me", headers=headers)).json()
    assert echoed["identity"]["user_id"] == me["user_id"]
    assert echoed["identity"]["roles"] == ["secretary"]
    assert echoed["identity"]["request_id"] == "client-request-0001"
    assert "cookie" not in echoed["headers"] and "authorization" not in echoed["headers"]
    assert echoed["headers"]["x-request-id"] == "client-request-0001"
    assert echoed["headers"]["traceparent"].split("-")[1] == TRACEPARENT.split("-")[1]
    assert response.headers["x-request-id"] == "client-request-0001"


async def test_bodies_statuses_and_locations_pass_through(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    headers = await logins.headers(Role.SECRETARY)
    response = await client.post(
        "/api/v1/contacts/groups",
        params={"answer_status": "201", "location": "/groups/abc"},
        json={"name": "Sponsors ✓"},
        headers=headers,
    )
    assert response.status_code == 201
    assert response.json()["body"] == '{"name":"Sponsors ✓"}'
    assert response.headers["location"] == "/api/v1/contacts/groups/abc"
    missing = await client.get(
        "/api/v1/contacts/groups/x", params={"answer_status": "404"}, headers=headers
    )
    assert missing.status_code == 404


async def test_the_policy_refuses_before_any_call(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    communications = await logins.headers(Role.COMMUNICATIONS)
    cases: list[tuple[str, str, dict[str, str], int]] = [
        ("GET", "/api/v1/contacts/contacts", {}, 401),  # no token
        ("POST", "/api/v1/contacts/contacts", communications, 403),  # reads contacts only
        ("GET", "/api/v1/contacts/contacts", communications, 200),
        ("POST", "/api/v1/newsletters/lists", communications, 200),
        ("GET", "/api/v1/contacts/no-such-route", communications, 404),  # not in the policy
        ("GET", "/api/v1/unknown-service/contacts", communications, 404),
        ("GET", "/api/v1/contacts/contacts/", communications, 404),
        ("GET", "/api/v1/users", communications, 403),
    ]
    for method, path, headers, status in cases:
        response = await client.request(method, path, headers=headers)
        assert response.status_code == status, (method, path, response.text)
        if status >= 400:
            assert response.headers["content-type"] == "application/problem+json"


async def test_a_member_reaches_only_their_own_contact(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    own = uuid.uuid4()
    member = await logins.headers(Role.MEMBER, own)
    other = uuid.uuid4()
    ok = await client.get(f"/api/v1/newsletters/contacts/{own}/subscriptions", headers=member)
    assert ok.status_code == 200
    assert ok.json()["identity"]["contact_id"] == str(own)
    theirs = await client.get(f"/api/v1/newsletters/contacts/{other}/subscriptions", headers=member)
    assert theirs.status_code == 404
    assert (await client.get("/api/v1/contacts/contacts", headers=member)).status_code == 403
    assert (
        await client.delete(f"/api/v1/contacts/contacts/{own}", headers=member)
    ).status_code == 403
    # An object found by its own id is theirs only if the answer names their contact.
    mine = await client.get(
        f"/api/v1/memberships/memberships/{uuid.uuid4()}",
        params={"owner": str(own)},
        headers=member,
    )
    assert mine.status_code == 200
    not_mine = await client.get(
        f"/api/v1/memberships/memberships/{uuid.uuid4()}",
        params={"owner": str(other)},
        headers=member,
    )
    assert not_mine.status_code == 404
    assert "owner" not in not_mine.text
    # An invoice's PDF: the invoice is asked first and must be theirs.
    pdf = "/api/v1/billing/invoices/owned-by-{}/pdf"
    own_pdf = await client.get(pdf.format(own), headers=member)
    assert own_pdf.status_code == 200
    assert own_pdf.json()["raw_path"] == f"/invoices/owned-by-{own}/pdf"
    assert (await client.get(pdf.format(other), headers=member)).status_code == 404


async def test_public_routes_need_no_login(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/memberships/cards/verify/some-token")
    assert response.status_code == 200
    assert response.json()["identity"]["roles"] == ["anonymous"]


async def test_a_service_that_is_down_answers_503_and_the_others_work(
    database_url: str,
) -> None:
    app = create_app(gateway_settings(database_url), transports=transports(newsletters=down()))
    async with app.router.lifespan_context(app), client_of(app) as client:
        headers = await Logins(app, client).headers(Role.ADMIN)
        gone = await client.get("/api/v1/newsletters/lists", headers=headers)
        assert gone.status_code == 503
        assert gone.headers["content-type"] == "application/problem+json"
        assert gone.json()["service"] == "newsletters"
        assert "retry-after" in gone.headers
        assert (await client.get("/api/v1/contacts/groups", headers=headers)).status_code == 200


async def test_a_body_too_large_is_refused(
    app: FastAPI, client: httpx.AsyncClient, logins: Logins
) -> None:
    limit = app.state.gateway.settings.max_body_bytes
    response = await client.post(
        "/api/v1/contacts/contacts",
        content=b"x" * (limit + 1),
        headers={**await logins.headers(Role.SECRETARY), "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def _echo(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    return body
