"""The gateway against attacks, with the services running as processes: who may call which
route (every route x every role), forged tokens, services reached around the gateway, and a
member reaching for someone else's data."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest

from kring_gateway.policy import API, POLICY, Access
from kring_gateway.roles import Role
from kring_platform.identity import CallerIdentity, sign_identity
from kring_platform.testing import eventually
from kring_stack.callers import SignedIdentity

from .conftest import RunningSystem
from .gateway_api import GatewayLogins, bearer, created, gateway_logins, is_problem, merged_openapi

pytestmark = pytest.mark.e2e

LOGOUT = ("POST", f"{API}/auth/logout")


@pytest.fixture(scope="module")
async def logins(system: RunningSystem) -> AsyncIterator[GatewayLogins]:
    async with gateway_logins(system) as logins:
        yield logins


async def test_services_refuse_callers_the_gateway_did_not_sign(system: RunningSystem) -> None:
    wrong_key = SignedIdentity(b"not-the-key-of-this-stack-at-all")
    stale = CallerIdentity(user_id="old", roles=("admin",), request_id="old")
    expired = sign_identity(system.identity_key, stale, now=time.time() - 3600)
    for service, path in (
        ("contacts", "/contacts"),
        ("newsletters", "/lists"),
        ("memberships", "/membership-types"),
    ):
        async with system.client(service, signed=False) as unsigned:
            for why, auth, headers in (
                ("no identity", None, {}),
                ("wrong key", wrong_key, {}),
                ("expired", None, {"Kring-Identity": expired}),
                ("garbage", None, {"Kring-Identity": "v1.e30.AAAA"}),
            ):
                response = await unsigned.get(path, headers=headers, auth=auth)  # type: ignore[arg-type]
                assert response.status_code == 401, (service, why)
                assert is_problem(response), (service, why)
            assert (await unsigned.get("/health/live")).status_code == 200
        async with system.client(service) as signed:
            assert (await signed.get(path)).status_code == 200, service


async def test_forged_and_unsigned_tokens_are_refused(logins: GatewayLogins) -> None:
    admin = await logins.admin_headers()
    token = admin["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})
    header, payload, _ = token.split(".")
    none_header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    expired = {**claims, "iat": int(time.time()) - 900, "exp": int(time.time()) - 600}
    forged = {
        "alg none": f"{none_header}.{payload}.",
        "guessed key": jwt.encode(claims, "development-only-token-signing-key", algorithm="HS256"),
        "expired": jwt.encode(expired, "x" * 32, algorithm="HS256"),
        "payload swapped": ".".join(
            (header, jwt.utils.base64url_encode(b"{}").decode(), token.split(".")[2])
        ),
    }
    for why, value in forged.items():
        response = await logins.gateway.get(f"{API}/contacts/contacts", headers=bearer(value))
        assert response.status_code == 401, why
        assert is_problem(response), why
    assert (await logins.gateway.get(f"{API}/contacts/contacts", headers=admin)).status_code == 200


def allowed(access: Access, role: Role | None) -> bool:
    if access.public:
        return True
    if role is None:
        return False
    if role is Role.MEMBER:
        return access.member is not None or Role.MEMBER in access.roles
    return role in access.roles


def concrete(template: str, own_contact: uuid.UUID) -> str:
    """The template with a value for each parameter (the caller's own contact for contact_id)."""
    values = {
        "contact_id": str(own_contact),
        "email": "nobody@example.org",
        "token": "not-a-token",
        "right": "members-area",
    }
    parts = []
    for segment in template.split("/"):
        if segment.startswith("{"):
            segment = values.get(segment[1:-1], str(uuid.uuid4()))
        parts.append(segment)
    return "/".join(parts)


async def test_every_route_for_every_role(logins: GatewayLogins) -> None:
    document = await merged_openapi(logins)
    described = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    assert described - POLICY.keys() == set(), "routes the gateway would refuse to everyone"
    unavailable = document["info"].get("x-kring-unavailable-services", [])
    for route in POLICY.keys() - described:
        assert route[1].split("/")[3] in unavailable, f"{route}: in the policy, not in the API"

    member_contact = uuid.uuid4()
    roles: list[Role | None] = [None, *Role]
    headers = {
        role: (
            {}
            if role is None
            else await logins.headers(role, member_contact if role is Role.MEMBER else None)
        )
        for role in roles
    }
    gate = asyncio.Semaphore(16)
    wrong: list[str] = []

    async def check(method: str, template: str, access: Access, role: Role | None) -> None:
        path = concrete(template, member_contact)
        # Bodies are invalid on purpose: an allowed change is refused by the service (422).
        body: Any = [] if method in ("POST", "PUT", "PATCH") else None
        async with gate:
            response = await logins.gateway.request(method, path, json=body, headers=headers[role])
        status = response.status_code
        if allowed(access, role):
            if status in (401, 403):
                wrong.append(f"{role} {method} {template}: {status}, expected allowed")
        elif status != (401 if role is None else 403):
            wrong.append(f"{role} {method} {template}: {status}, expected refused")
        elif not is_problem(response):
            wrong.append(f"{role} {method} {template}: refusal not problem+json")

    await asyncio.gather(
        *(
            check(method, template, access, role)
            for (method, template), access in POLICY.items()
            if (method, template) != LOGOUT
            for role in roles
        )
    )
    # Logging out ends the session, so it goes last.
    for role in roles:
        await check(*LOGOUT, POLICY[LOGOUT], role)
    assert wrong == [], "\n".join(sorted(wrong))


async def test_a_member_never_reaches_another_contact(logins: GatewayLogins, unique: str) -> None:
    gateway = logins.gateway
    admin = await logins.admin_headers()
    people = []
    for last in ("Own", "Other"):
        body = {"first_name": "Member", "last_name": f"{last} {unique}"}
        person = await created(
            await gateway.post(f"{API}/contacts/contacts", json=body, headers=admin)
        )
        people.append(uuid.UUID(person["id"]))
    own, other = people
    member = await logins.headers(Role.MEMBER, own)
    me = await gateway.get(f"{API}/contacts/{own}/profile", headers=member)
    assert me.status_code == 200
    assert me.json()["contact"]["data"]["id"] == str(own)
    for path in (
        f"{API}/contacts/{other}/profile",
        f"{API}/contacts/contacts/{other}",
        f"{API}/newsletters/contacts/{other}/subscriptions",
        f"{API}/memberships/contacts/{other}/memberships",
        f"{API}/billing/contacts/{other}/invoices",
        f"{API}/billing/contacts/{other}/open-items",
    ):
        response = await gateway.get(path, headers=member)
        assert response.status_code == 404, path
        assert is_problem(response), path
    change = await gateway.patch(
        f"{API}/contacts/contacts/{other}", json={"notes": "mine now"}, headers=member
    )
    assert change.status_code == 404
    # An object reached by its own id (here a membership) is shown only if it is theirs.
    type_body = {
        "name": f"Gateway type {unique}",
        "billing_period": "yearly",
        "period_start_month": 1,
        "period_start_day": 1,
        "term_kind": "seasonal",
        "rights": [],
        "fee": {"amount": "10.00", "valid_from": "2020-01-01"},
    }
    membership_type = await created(
        await gateway.post(f"{API}/memberships/membership-types", json=type_body, headers=admin)
    )
    registration = {"contact_id": str(other), "type_id": membership_type["id"]}
    registration["start_date"] = "2026-01-01"

    async def register() -> dict[str, Any] | None:
        response = await gateway.post(
            f"{API}/memberships/memberships", json=registration, headers=admin
        )
        return response.json() if response.status_code == 201 else None

    membership = await eventually(register)  # once memberships knows the contact
    assert membership is not None
    theirs = f"{API}/memberships/memberships/{membership['id']}"
    assert (await gateway.get(theirs, headers=admin)).status_code == 200
    refused = await gateway.get(theirs, headers=member)
    assert refused.status_code == 404
    assert str(other) not in refused.text
