"""Forgot password: the same answer for known and unknown addresses, the link at the SMTP
sink, setting a password by it once, its sessions ended, expiry, a newer link replacing an
older one, the limits, and no token in the audit."""

import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from kring_gateway.password_reset.models import PasswordResetToken
from kring_gateway.roles import Role
from kring_platform.testing import Maildir

from .conftest import Logins, bearer, client_of, gateway_of
from .test_invitations import BASE, Contacts, app_with, body_of, mails_to

API = "/api/v1"
RESET_LINK = re.compile(re.escape(BASE) + r"/reset-password/([A-Za-z0-9_\-.]+)")
NEW_PASSWORD = "another long enough password"


@pytest.fixture(scope="module")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    async with app_with(database_url, Contacts(), password_reset_max_per_email=3) as app:
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app) as client:
        yield client


@pytest.fixture
def logins(app: FastAPI, client: httpx.AsyncClient) -> Logins:
    return Logins(app, client)


async def ask(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post(f"{API}/auth/password-reset", json={"email": email})


async def reset_token(maildir: Maildir, email: str, count: int = 1) -> str:
    mails = await mails_to(maildir, email, count)
    found = RESET_LINK.search(body_of(mails[-1]))
    assert found, body_of(mails[-1])
    return found.group(1)


async def test_a_reset_link_sets_the_password_once_and_ends_the_sessions(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    maildir = Maildir()
    email = await logins.create(Role.SECRETARY)
    old_session = bearer((await logins.login(email))["access_token"])
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.org"

    known_answer, unknown_answer = await ask(client, email.upper()), await ask(client, unknown)
    assert known_answer.status_code == unknown_answer.status_code == 202
    assert known_answer.json() == unknown_answer.json()
    token = await reset_token(maildir, email)
    assert maildir.messages_to(unknown) == []
    text = body_of(maildir.messages_to(email)[0])
    assert "Hallo" in text and "Hello" in text

    done = await client.post(
        f"{API}/auth/password-reset/{token}", json={"new_password": NEW_PASSWORD}
    )
    assert done.status_code == 204, done.text
    assert (await client.get(f"{API}/auth/me", headers=old_session)).status_code == 401
    old = await client.post(
        f"{API}/auth/login", json={"email": email, "password": "a long enough password"}
    )
    assert old.status_code == 401
    await logins.login(email, NEW_PASSWORD)

    again = await client.post(
        f"{API}/auth/password-reset/{token}", json={"new_password": NEW_PASSWORD}
    )
    assert again.status_code == 410 and again.json()["state"] == "used"


async def test_expired_replaced_unknown_and_foreign_tokens_are_refused(
    app: FastAPI, client: httpx.AsyncClient, logins: Logins
) -> None:
    maildir = Maildir()
    email = await logins.create(Role.MEMBER)
    await ask(client, email)
    first = await reset_token(maildir, email)
    await ask(client, email)
    second = await reset_token(maildir, email, 2)
    assert first != second

    replaced = await client.post(
        f"{API}/auth/password-reset/{first}", json={"new_password": NEW_PASSWORD}
    )
    assert replaced.status_code == 410 and replaced.json()["state"] == "revoked"

    async with gateway_of(app).database.transaction() as session:
        await session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.used_at.is_(None), PasswordResetToken.revoked_at.is_(None))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    expired = await client.post(
        f"{API}/auth/password-reset/{second}", json={"new_password": NEW_PASSWORD}
    )
    assert expired.status_code == 410 and expired.json()["state"] == "expired"

    for token in ("nonsense", "A" * 43 + "." + "B" * 22):
        unknown = await client.post(
            f"{API}/auth/password-reset/{token}", json={"new_password": NEW_PASSWORD}
        )
        assert unknown.status_code == 404


async def test_requests_are_limited_per_address_known_or_not(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    known = await logins.create(Role.TREASURER)
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.org"
    for email in (known, unknown):
        answers = [(await ask(client, email)).status_code for _ in range(4)]
        assert answers == [202, 202, 202, 429]


async def test_requests_are_limited_per_client(database_url: str) -> None:
    async with (
        app_with(database_url, Contacts(), password_reset_max_per_address=2) as app,
        client_of(app, address="192.0.2.77") as client,
    ):
        answers = [
            (await ask(client, f"n{i}-{uuid.uuid4().hex[:6]}@example.org")).status_code
            for i in range(3)
        ]
        assert answers == [202, 202, 429]
        refused = await ask(client, "x@example.org")
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert int(refused.headers["retry-after"]) > 0


async def test_the_audit_keeps_resets_without_their_token(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    maildir = Maildir()
    email = await logins.create(Role.COMMUNICATIONS)
    await ask(client, email)
    token = await reset_token(maildir, email)
    await client.post(f"{API}/auth/password-reset/{token}", json={"new_password": NEW_PASSWORD})
    entries = await client.get(
        f"{API}/audit",
        params={"route": f"{API}/auth/password-reset/{{token}}"},
        headers=await logins.headers(Role.ADMIN),
    )
    items = entries.json()["items"]
    assert any(e["status"] == 204 for e in items)
    assert all(token not in str(e) for e in items)
