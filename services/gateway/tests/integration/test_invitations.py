"""Invitations of contacts to a member login: inviting (one, many, again), the mail at the
SMTP sink, looking at and accepting the link once, revoking, expiry, the hourly limit, roles,
erasure through the gateway, and no token in the audit."""

import asyncio
import os
import re
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import update

from kring_gateway.invitations.models import Invitation
from kring_gateway.main import create_app
from kring_gateway.roles import Role
from kring_platform.identity import IdentityCheck
from kring_platform.testing import Maildir, eventually

from .conftest import (
    IDENTITY_KEY,
    Logins,
    bearer,
    client_of,
    gateway_of,
    gateway_settings,
    transports,
)

API = "/api/v1"
BASE = "https://kring.test"
INVITE_LINK = re.compile(re.escape(BASE) + r"/invite/([A-Za-z0-9_\-.]+)")
PASSWORD = "a long enough password"


class Contacts:
    """A stand-in contacts service: contacts by id, and their erasure."""

    def __init__(self) -> None:
        self.people: dict[str, dict[str, Any]] = {}

    def add(self, first_name: str = "Ann", emails: list[str] | None = None) -> uuid.UUID:
        contact_id = uuid.uuid4()
        if emails is None:
            emails = [f"ann-{contact_id.hex[:10]}@example.org"]
        self.people[str(contact_id)] = {
            "id": str(contact_id),
            "first_name": first_name,
            "last_name": "Peeters",
            "emails": emails,
        }
        return contact_id

    def email(self, contact_id: uuid.UUID) -> str:
        return str(self.people[str(contact_id)]["emails"][0])

    def app(self) -> FastAPI:
        service = FastAPI(openapi_url=None)
        service.add_middleware(IdentityCheck, key=IDENTITY_KEY.encode())

        @service.get("/contacts/{contact_id}")
        async def get_contact(contact_id: str) -> JSONResponse:
            person = self.people.get(contact_id)
            if person is None:
                return JSONResponse({"title": "Not found", "status": 404}, status_code=404)
            return JSONResponse(person)

        @service.post("/contacts/{contact_id}/erasure")
        async def erase(contact_id: str) -> JSONResponse:
            person = self.people.get(contact_id)
            if person is None:
                return JSONResponse({"title": "Not found", "status": 404}, status_code=404)
            person.update(first_name="", last_name="", emails=[])
            return JSONResponse(
                {
                    "contact_id": contact_id,
                    "erased_at": datetime.now(UTC).isoformat(),
                    "erased_contact_ids": [contact_id],
                },
                status_code=201,
            )

        return service


def mail_settings() -> dict[str, Any]:
    return {
        "smtp_host": os.environ.get("SMTP_HOST", "127.0.0.1"),
        "smtp_port": int(os.environ.get("SMTP_PORT", "2526")),
        "public_base_url": BASE,
        "mail_from": "Kring Club <leden@club.example>",
    }


@pytest.fixture(scope="module")
def contacts() -> Contacts:
    return Contacts()


@asynccontextmanager
async def app_with(
    database_url: str, contacts: Contacts, **overrides: Any
) -> AsyncIterator[FastAPI]:
    settings = gateway_settings(database_url, **{**mail_settings(), **overrides})
    app = create_app(settings, transports=transports(contacts=httpx.ASGITransport(contacts.app())))
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture(scope="module")
async def app(database_url: str, contacts: Contacts) -> AsyncIterator[FastAPI]:
    async with app_with(database_url, contacts) as app:
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app) as client:
        yield client


@pytest.fixture
def logins(app: FastAPI, client: httpx.AsyncClient) -> Logins:
    return Logins(app, client)


@pytest.fixture
async def secretary(logins: Logins) -> Mapping[str, str]:
    return await logins.headers(Role.SECRETARY)


@pytest.fixture
def maildir() -> Iterator[Maildir]:
    yield Maildir()


async def mails_to(maildir: Maildir, address: str, count: int = 1) -> list[EmailMessage]:
    return await eventually(
        lambda: maildir.messages_to(address), until=lambda found: len(found) >= count, timeout=10
    )


def body_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def link_token(message: EmailMessage) -> str:
    found = INVITE_LINK.search(body_of(message))
    assert found, body_of(message)
    return found.group(1)


async def invite(
    client: httpx.AsyncClient, headers: Mapping[str, str], contact_id: uuid.UUID, **extra: Any
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/invitations", json={"contact_id": str(contact_id), **extra}, headers=headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def invitations_of(
    client: httpx.AsyncClient, headers: Mapping[str, str], contact_id: uuid.UUID
) -> list[dict[str, Any]]:
    response = await client.get(
        f"{API}/invitations", params={"contact_id": str(contact_id)}, headers=headers
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_an_invitation_mails_a_link_that_makes_a_member_login_once(
    client: httpx.AsyncClient, contacts: Contacts, secretary: Mapping[str, str], maildir: Maildir
) -> None:
    contact_id = contacts.add("Ann")
    address = contacts.email(contact_id)
    created = await invite(client, secretary, contact_id)
    assert created["state"] == "open" and created["email"] == address
    assert created["contact_id"] == str(contact_id)

    [mail] = await mails_to(maildir, address)
    assert mail["From"] == "Kring Club <leden@club.example>"
    text = body_of(mail)
    # Dutch first, then English: the contact's language is not known.
    assert text.index("Beste Ann") < text.index("Dear Ann")
    token = link_token(mail)

    preview = await client.get(f"{API}/invitations/accept/{token}")
    assert preview.status_code == 200, preview.text
    assert preview.json() == {"state": "open", "first_name": "Ann"}

    accepted = await client.post(f"{API}/invitations/accept/{token}", json={"password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    tokens = accepted.json()
    assert tokens["refresh_token"] and tokens["access_token"]
    me = await client.get(f"{API}/auth/me", headers=bearer(tokens["access_token"]))
    assert me.json()["roles"] == ["member"]
    assert me.json()["contact_id"] == str(contact_id)
    assert me.json()["email"] == address
    # The new login logs in like any other.
    login = await client.post(f"{API}/auth/login", json={"email": address, "password": PASSWORD})
    assert login.status_code == 200

    again = await client.post(f"{API}/invitations/accept/{token}", json={"password": PASSWORD})
    assert again.status_code == 410
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["state"] == "accepted"
    assert (await client.get(f"{API}/invitations/accept/{token}")).status_code == 410

    [listed] = await invitations_of(client, secretary, contact_id)
    assert listed["state"] == "accepted" and listed["user_id"] == me.json()["user_id"]
    # A member login exists: another invitation is refused.
    refused = await client.post(
        f"{API}/invitations", json={"contact_id": str(contact_id)}, headers=secretary
    )
    assert refused.status_code == 409


async def test_accepting_with_use_cookie_sets_the_refresh_cookies(
    client: httpx.AsyncClient, contacts: Contacts, secretary: Mapping[str, str], maildir: Maildir
) -> None:
    contact_id = contacts.add()
    await invite(client, secretary, contact_id)
    [mail] = await mails_to(maildir, contacts.email(contact_id))
    accepted = await client.post(
        f"{API}/invitations/accept/{link_token(mail)}",
        json={"password": PASSWORD, "use_cookie": True},
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["refresh_token"] is None
    assert {"kring_refresh", "kring_csrf"} <= set(accepted.cookies)


async def test_a_re_invite_revokes_the_open_invitation(
    client: httpx.AsyncClient, contacts: Contacts, secretary: Mapping[str, str], maildir: Maildir
) -> None:
    contact_id = contacts.add()
    first = await invite(client, secretary, contact_id)
    other = f"other-{uuid.uuid4().hex[:8]}@example.org"
    second = await invite(client, secretary, contact_id, email=other)
    assert second["email"] == other

    [old_mail] = await mails_to(maildir, contacts.email(contact_id))
    [new_mail] = await mails_to(maildir, other)
    old = await client.get(f"{API}/invitations/accept/{link_token(old_mail)}")
    assert old.status_code == 410 and old.json()["state"] == "revoked"
    assert (await client.get(f"{API}/invitations/accept/{link_token(new_mail)}")).status_code == 200

    listed = await invitations_of(client, secretary, contact_id)
    assert [(i["id"], i["state"]) for i in listed] == [
        (second["id"], "open"),
        (first["id"], "revoked"),
    ]
    assert listed[1]["revoked_reason"] == "reinvited"


async def test_revoked_and_expired_links_are_refused(
    app: FastAPI,
    client: httpx.AsyncClient,
    contacts: Contacts,
    secretary: Mapping[str, str],
    maildir: Maildir,
) -> None:
    revoked_contact, expired_contact = contacts.add(), contacts.add()
    revoked = await invite(client, secretary, revoked_contact)
    expired = await invite(client, secretary, expired_contact)
    [revoked_mail] = await mails_to(maildir, contacts.email(revoked_contact))
    [expired_mail] = await mails_to(maildir, contacts.email(expired_contact))

    gone = await client.delete(f"{API}/invitations/{revoked['id']}", headers=secretary)
    assert gone.status_code == 204
    answer = await client.post(
        f"{API}/invitations/accept/{link_token(revoked_mail)}", json={"password": PASSWORD}
    )
    assert answer.status_code == 410 and answer.json()["state"] == "revoked"

    async with gateway_of(app).database.transaction() as session:
        await session.execute(
            update(Invitation)
            .where(Invitation.id == uuid.UUID(expired["id"]))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    answer = await client.post(
        f"{API}/invitations/accept/{link_token(expired_mail)}", json={"password": PASSWORD}
    )
    assert answer.status_code == 410 and answer.json()["state"] == "expired"
    [listed] = await invitations_of(client, secretary, expired_contact)
    assert listed["state"] == "expired"
    by_state = await client.get(
        f"{API}/invitations",
        params={"contact_id": str(expired_contact), "state": "open"},
        headers=secretary,
    )
    assert by_state.json()["items"] == []
    # An expired invitation is replaced by inviting again.
    await invite(client, secretary, expired_contact)
    assert (
        await client.delete(f"{API}/invitations/{uuid.uuid4()}", headers=secretary)
    ).status_code == 404


async def test_unknown_and_forged_tokens_are_not_found(client: httpx.AsyncClient) -> None:
    for token in ("nonsense", "A" * 43 + "." + "B" * 22):
        assert (await client.get(f"{API}/invitations/accept/{token}")).status_code == 404
        answer = await client.post(f"{API}/invitations/accept/{token}", json={"password": PASSWORD})
        assert answer.status_code == 404


async def test_two_accepts_at_once_make_one_login(
    client: httpx.AsyncClient, contacts: Contacts, secretary: Mapping[str, str], maildir: Maildir
) -> None:
    contact_id = contacts.add()
    await invite(client, secretary, contact_id)
    [mail] = await mails_to(maildir, contacts.email(contact_id))
    url = f"{API}/invitations/accept/{link_token(mail)}"
    answers = await asyncio.gather(
        *(client.post(url, json={"password": PASSWORD}) for _ in range(3))
    )
    assert sorted(a.status_code for a in answers) == [200, 410, 410]


async def test_an_existing_login_with_the_address_is_refused(
    app: FastAPI,
    client: httpx.AsyncClient,
    logins: Logins,
    contacts: Contacts,
    secretary: Mapping[str, str],
    maildir: Maildir,
) -> None:
    taken = await logins.create(Role.TREASURER)
    contact_id = contacts.add(emails=[taken])
    refused = await client.post(
        f"{API}/invitations", json={"contact_id": str(contact_id)}, headers=secretary
    )
    assert refused.status_code == 409 and refused.json()["reason"] == "has_login"

    # A login made with the address after the invitation went out: accepting is refused.
    late = contacts.add()
    await invite(client, secretary, late)
    [mail] = await mails_to(maildir, contacts.email(late))
    await client.post(
        f"{API}/users",
        json={"email": contacts.email(late), "password": PASSWORD, "roles": ["read_only"]},
        headers=await logins.headers(Role.ADMIN),
    )
    answer = await client.post(
        f"{API}/invitations/accept/{link_token(mail)}", json={"password": PASSWORD}
    )
    assert answer.status_code == 409


async def test_single_invitations_answer_what_is_missing(
    client: httpx.AsyncClient, contacts: Contacts, secretary: Mapping[str, str]
) -> None:
    unknown = await client.post(
        f"{API}/invitations", json={"contact_id": str(uuid.uuid4())}, headers=secretary
    )
    assert unknown.status_code == 404
    no_email = contacts.add(emails=[])
    answer = await client.post(
        f"{API}/invitations", json={"contact_id": str(no_email)}, headers=secretary
    )
    assert answer.status_code == 422
    # Given an address, it goes there.
    given = f"given-{uuid.uuid4().hex[:8]}@example.org"
    assert (await invite(client, secretary, no_email, email=given.upper()))["email"] == given
    short = await client.post(f"{API}/invitations/accept/x", json={"password": "short"})
    assert short.status_code == 422


async def test_a_bulk_invitation_answers_per_contact(
    client: httpx.AsyncClient, contacts: Contacts, secretary: Mapping[str, str], maildir: Maildir
) -> None:
    fine = [contacts.add() for _ in range(3)]
    no_email = contacts.add(emails=[])
    unknown = uuid.uuid4()
    ids = [*fine, no_email, unknown, fine[0]]
    answer = await client.post(
        f"{API}/invitations/bulk", json={"contact_ids": [str(i) for i in ids]}, headers=secretary
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["invited"], body["skipped"]) == (3, 2)
    assert [(r["contact_id"], r["status"], r["reason"]) for r in body["results"]] == [
        *((str(i), "invited", None) for i in fine),
        (str(no_email), "skipped", "no_email"),
        (str(unknown), "skipped", "not_found"),
    ]
    for contact_id in fine:
        assert len(await mails_to(maildir, contacts.email(contact_id))) == 1


async def test_invitations_per_hour_are_limited(
    database_url: str, contacts: Contacts, maildir: Maildir
) -> None:
    async with (
        app_with(database_url, contacts, invitations_per_hour=3) as app,
        client_of(app) as client,
    ):
        headers = await Logins(app, client).headers(Role.SECRETARY)
        await invite(client, headers, contacts.add())
        await invite(client, headers, contacts.add())
        bulk = await client.post(
            f"{API}/invitations/bulk",
            json={"contact_ids": [str(contacts.add()), str(contacts.add())]},
            headers=headers,
        )
        assert [r["reason"] for r in bulk.json()["results"]].count("rate_limited") == 1
        refused = await client.post(
            f"{API}/invitations", json={"contact_id": str(contacts.add())}, headers=headers
        )
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert 3000 < int(refused.headers["retry-after"]) <= 3601
        bulk = await client.post(
            f"{API}/invitations/bulk", json={"contact_ids": [str(contacts.add())]}, headers=headers
        )
        assert bulk.status_code == 429
        # The limit is per inviting login.
        other = await Logins(app, client).headers(Role.ADMIN)
        await invite(client, other, contacts.add())


async def test_a_mail_that_cannot_be_sent_withdraws_the_invitation(
    database_url: str, contacts: Contacts
) -> None:
    async with (
        app_with(database_url, contacts, smtp_port=1, smtp_timeout_s=2) as app,
        client_of(app) as client,
    ):
        headers = await Logins(app, client).headers(Role.SECRETARY)
        contact_id = contacts.add()
        answer = await client.post(
            f"{API}/invitations", json={"contact_id": str(contact_id)}, headers=headers
        )
        assert answer.status_code == 503
        [listed] = await invitations_of(client, headers, contact_id)
        assert (listed["state"], listed["revoked_reason"]) == ("revoked", "mail_failed")


@pytest.mark.parametrize(
    ("role", "invite_status", "list_status"),
    [
        (Role.ADMIN, 201, 200),
        (Role.SECRETARY, 201, 200),
        (Role.READ_ONLY, 403, 200),
        (Role.TREASURER, 403, 403),
        (Role.COMMUNICATIONS, 403, 403),
        (Role.MEMBER, 403, 403),
    ],
)
async def test_only_staff_of_contacts_invite(
    client: httpx.AsyncClient,
    logins: Logins,
    contacts: Contacts,
    role: Role,
    invite_status: int,
    list_status: int,
) -> None:
    headers = await logins.headers(role)
    contact_id = contacts.add()
    answer = await client.post(
        f"{API}/invitations", json={"contact_id": str(contact_id)}, headers=headers
    )
    assert answer.status_code == invite_status
    listed = await client.get(f"{API}/invitations", headers=headers)
    assert listed.status_code == list_status
    anonymous = await client.post(f"{API}/invitations", json={"contact_id": str(contact_id)})
    assert anonymous.status_code == 401


async def test_erasure_through_the_gateway_revokes_and_deactivates(
    client: httpx.AsyncClient,
    logins: Logins,
    contacts: Contacts,
    secretary: Mapping[str, str],
    maildir: Maildir,
) -> None:
    member_contact, invited_contact = contacts.add(), contacts.add()
    await invite(client, secretary, member_contact)
    [mail] = await mails_to(maildir, contacts.email(member_contact))
    tokens = (
        await client.post(
            f"{API}/invitations/accept/{link_token(mail)}", json={"password": PASSWORD}
        )
    ).json()
    member = bearer(tokens["access_token"])
    me = (await client.get(f"{API}/auth/me", headers=member)).json()
    await invite(client, secretary, invited_contact)
    [open_mail] = await mails_to(maildir, contacts.email(invited_contact))

    for contact_id in (member_contact, invited_contact):
        erased = await client.post(
            f"{API}/contacts/contacts/{contact_id}/erasure", headers=secretary
        )
        assert erased.status_code == 201, erased.text

    assert (await client.get(f"{API}/auth/me", headers=member)).status_code == 401
    user = await client.get(
        f"{API}/users/{me['user_id']}", headers=await logins.headers(Role.ADMIN)
    )
    assert user.json()["active"] is False
    assert user.json()["email"] == f"erased:{me['user_id']}"
    answer = await client.get(f"{API}/invitations/accept/{link_token(open_mail)}")
    assert answer.status_code == 410 and answer.json()["state"] == "revoked"
    [listed] = await invitations_of(client, secretary, invited_contact)
    assert listed["revoked_reason"] == "erased" and listed["email"] == ""


async def test_the_audit_keeps_the_routes_but_never_a_token(
    client: httpx.AsyncClient,
    logins: Logins,
    contacts: Contacts,
    secretary: Mapping[str, str],
    maildir: Maildir,
) -> None:
    contact_id = contacts.add()
    created = await invite(client, secretary, contact_id)
    [mail] = await mails_to(maildir, contacts.email(contact_id))
    token = link_token(mail)
    await client.post(f"{API}/invitations/accept/{token}", json={"password": PASSWORD})
    await client.post(f"{API}/invitations/accept/{token}", json={"password": PASSWORD})
    entries = await client.get(
        f"{API}/audit",
        params={"route": f"{API}/invitations/accept/{{token}}"},
        headers=await logins.headers(Role.ADMIN),
    )
    mine = [e for e in entries.json()["items"] if e["object_id"] in (created["id"], None)]
    assert {e["status"] for e in mine} >= {200}
    assert all(token not in str(e) for e in entries.json()["items"])
    assert any(e["object_id"] == created["id"] and e["status"] == 200 for e in mine)
