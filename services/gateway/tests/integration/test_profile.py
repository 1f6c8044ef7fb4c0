"""The aggregated contact profile: concurrent sections, each marked when it cannot be had."""

import uuid

import httpx
import pytest

from kring_gateway.main import create_app
from kring_gateway.roles import Role

from .conftest import MISSING_CONTACT, Logins, client_of, down, gateway_settings, transports

pytestmark = pytest.mark.integration

SECTIONS = ("contact", "groups", "memberships", "access", "subscriptions", "open_invoices")


async def test_every_section_comes_from_its_service(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    contact = uuid.uuid4()
    response = await client.get(
        f"/api/v1/contacts/{contact}/profile", headers=await logins.headers(Role.ADMIN)
    )
    assert response.status_code == 200
    profile = response.json()
    assert profile["contact_id"] == str(contact)
    asked = {name: profile[name]["data"] for name in SECTIONS}
    assert all(profile[name]["status"] == "ok" for name in SECTIONS)
    assert asked["contact"]["raw_path"] == f"/contacts/{contact}"
    assert asked["memberships"]["raw_path"] == f"/contacts/{contact}/memberships"
    assert asked["subscriptions"]["service"] == "newsletters"
    assert asked["open_invoices"]["service"] == "billing"
    assert asked["open_invoices"]["raw_path"] == f"/contacts/{contact}/open-items"
    # One request id across the fan-out.
    assert len({data["identity"]["request_id"] for data in asked.values()}) == 1


async def test_sections_of_services_that_are_down_or_lack_the_route_are_unavailable(
    database_url: str,
) -> None:
    app = create_app(
        gateway_settings(database_url),
        transports=transports(
            memberships=down(),
            billing=httpx.MockTransport(
                lambda request: httpx.Response(404, json={"title": "Not found", "status": 404})
            ),
        ),
    )
    async with app.router.lifespan_context(app), client_of(app) as client:
        logins = Logins(app, client)
        path = f"/api/v1/contacts/{uuid.uuid4()}/profile"
        profile = (await client.get(path, headers=await logins.headers(Role.ADMIN))).json()
        secretary = (await client.get(path, headers=await logins.headers(Role.SECRETARY))).json()
    assert profile["memberships"]["status"] == profile["access"]["status"] == "unavailable"
    assert profile["open_invoices"]["status"] == "unavailable"
    assert profile["contact"]["status"] == profile["groups"]["status"] == "ok"
    assert profile["subscriptions"]["status"] == "ok"
    # The secretary's role reads neither newsletters nor billing.
    assert secretary["subscriptions"]["status"] == "not_permitted"
    assert secretary["open_invoices"]["status"] == "not_permitted"
    assert secretary["subscriptions"]["data"] is None
    assert secretary["contact"]["status"] == "ok"


async def test_an_unknown_contact_has_no_profile(client: httpx.AsyncClient, logins: Logins) -> None:
    response = await client.get(
        f"/api/v1/contacts/{MISSING_CONTACT}/profile", headers=await logins.headers(Role.ADMIN)
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_member_sees_only_their_own_profile(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    own = uuid.uuid4()
    member = await logins.headers(Role.MEMBER, own)
    mine = await client.get(f"/api/v1/contacts/{own}/profile", headers=member)
    assert mine.status_code == 200
    assert mine.json()["open_invoices"]["status"] == "ok"
    other = await client.get(f"/api/v1/contacts/{uuid.uuid4()}/profile", headers=member)
    assert other.status_code == 404
