"""Invitations and forgot-password over the running system: the gateway mails over real SMTP
to the stack's sink, the link's token works once, an expired one is refused, the result is a
member login tied to the contact; forgot-password answers an unknown address as a known one;
erasing the contact through the gateway ends the member login."""

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import psycopg
import pytest

from kring_gateway.roles import Role
from kring_platform.testing import Maildir, eventually
from kring_stack.postgres import sqlalchemy_url

from .conftest import RunningSystem
from .gateway_api import bearer, created, gateway_logins, is_problem

pytestmark = pytest.mark.e2e

API = "/api/v1"
PASSWORD = "e2e member password, long enough"


def token_in(message: EmailMessage, page: str) -> str:
    text = _text(message)
    found = re.search(rf"(https?://\S+)/{page}/([A-Za-z0-9_\-.]+)", text)
    assert found, text
    return found.group(2)


async def mail_to(maildir: Maildir, address: str) -> EmailMessage:
    found = await eventually(lambda: maildir.messages_to(address), timeout=20)
    return found[0]


def expire_invitations(system: RunningSystem, contact_id: str) -> None:
    """Moves the invitation's clock: its expiry a second ago."""
    url = sqlalchemy_url(system.profile, system.databases["gateway"])
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        conn.execute(
            "UPDATE invitations SET expires_at = %s WHERE contact_id = %s",
            (datetime.now(UTC) - timedelta(seconds=1), contact_id),
        )


async def test_an_invitation_mailed_over_smtp_makes_a_member_login_once(
    system: RunningSystem, unique: str
) -> None:
    maildir = Maildir(system.profile.mail_dir)
    async with gateway_logins(system) as logins:
        gateway = logins.gateway
        secretary = await logins.headers(Role.SECRETARY)

        async def new_contact(name: str) -> dict[str, Any]:
            return await created(
                await gateway.post(
                    f"{API}/contacts/contacts",
                    json={
                        "first_name": name,
                        "last_name": f"Invited{unique}",
                        "emails": [f"{name.lower()}.{unique}@example.org"],
                    },
                    headers=secretary,
                )
            )

        ann, bob = await new_contact("Ann"), await new_contact("Bob")
        invitation = await created(
            await gateway.post(
                f"{API}/invitations", json={"contact_id": ann["id"]}, headers=secretary
            )
        )
        assert invitation["state"] == "open" and invitation["email"] == ann["emails"][0]

        mail = await mail_to(maildir, ann["emails"][0])
        token = token_in(mail, "invite")
        # The link leads to the web app's page, through the gateway (PUBLIC_BASE_URL).
        assert f"{system.urls['gateway']}/invite/{token}" in _text(mail)
        preview = await gateway.get(f"{API}/invitations/accept/{token}")
        assert preview.json() == {"state": "open", "first_name": "Ann"}

        accepted = await gateway.post(
            f"{API}/invitations/accept/{token}", json={"password": PASSWORD}
        )
        assert accepted.status_code == 200, accepted.text
        member = bearer(accepted.json()["access_token"])
        me = (await gateway.get(f"{API}/auth/me", headers=member)).json()
        assert me["roles"] == ["member"] and me["contact_id"] == ann["id"]
        own = await gateway.get(f"{API}/contacts/contacts/{ann['id']}", headers=member)
        assert own.status_code == 200
        other = await gateway.get(f"{API}/contacts/contacts/{bob['id']}", headers=member)
        assert other.status_code == 404

        again = await gateway.post(f"{API}/invitations/accept/{token}", json={"password": PASSWORD})
        assert again.status_code == 410 and is_problem(again)
        assert again.json()["state"] == "accepted"

        # Bob's invitation expires before he follows it.
        await created(
            await gateway.post(
                f"{API}/invitations", json={"contact_id": bob["id"]}, headers=secretary
            )
        )
        bob_token = token_in(await mail_to(maildir, bob["emails"][0]), "invite")
        expire_invitations(system, bob["id"])
        expired = await gateway.post(
            f"{API}/invitations/accept/{bob_token}", json={"password": PASSWORD}
        )
        assert expired.status_code == 410 and expired.json()["state"] == "expired"
        listed = await gateway.get(
            f"{API}/invitations", params={"contact_id": bob["id"]}, headers=secretary
        )
        assert [i["state"] for i in listed.json()["items"]] == ["expired"]

        # Forgot password: an unknown address answers as the member's does.
        unknown = f"nobody.{unique}@example.org"
        asked = [
            await gateway.post(f"{API}/auth/password-reset", json={"email": email})
            for email in (ann["emails"][0], unknown)
        ]
        assert [a.status_code for a in asked] == [202, 202]
        assert asked[0].json() == asked[1].json()
        reset = token_in(await _reset_mail(maildir, ann["emails"][0]), "reset-password")
        new_password = f"new {PASSWORD}"
        done = await gateway.post(
            f"{API}/auth/password-reset/{reset}", json={"new_password": new_password}
        )
        assert done.status_code == 204, done.text
        assert (await gateway.get(f"{API}/auth/me", headers=member)).status_code == 401
        await logins.login(ann["emails"][0], new_password)
        reused = await gateway.post(
            f"{API}/auth/password-reset/{reset}", json={"new_password": new_password}
        )
        assert reused.status_code == 410
        assert maildir.messages_to(unknown) == []

        # Erasing Ann through the gateway ends her member login.
        erased = await gateway.post(
            f"{API}/contacts/contacts/{ann['id']}/erasure", headers=secretary
        )
        assert erased.status_code == 201, erased.text
        refused = await gateway.post(
            f"{API}/auth/login", json={"email": ann["emails"][0], "password": new_password}
        )
        assert refused.status_code == 401


async def _reset_mail(maildir: Maildir, address: str) -> EmailMessage:
    def resets() -> list[EmailMessage]:
        return [m for m in maildir.messages_to(address) if "/reset-password/" in _text(m)]

    found = await eventually(resets, timeout=20)
    return found[-1]


def _text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    return str(part.get_content()) if part is not None else ""  # type: ignore[attr-defined]
