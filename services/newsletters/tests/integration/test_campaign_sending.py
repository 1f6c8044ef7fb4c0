"""Campaigns delivered through the stack's real SMTP sink, read back from its maildir."""

import uuid

import httpx
import pytest
from fastapi import FastAPI

from kring_platform.testing import Maildir, eventually, wait_applied

from .campaign_helpers import (
    address,
    body_parts,
    create_campaign,
    only_mail_to,
    send_and_wait,
    unsubscribe_path,
    wait_mails,
)
from .helpers import create_list, subscribers, wait_for_contact
from .kafka_helpers import ContactsFeed, MembershipsFeed

pytestmark = pytest.mark.integration

HTML = (
    '<p>Dear {{ first_name | default("member") }} {{ last_name }},</p>'
    '<p>Your membership: {{ membership_type | default("none yet") }}.</p>'
    '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>'
)


async def test_a_list_campaign_reaches_each_subscriber_once_personalised(
    app: FastAPI,
    client: httpx.AsyncClient,
    feed: ContactsFeed,
    memberships_feed: MembershipsFeed,
    unique: str,
) -> None:
    domain = f"{unique}.example.org"
    maildir = Maildir()
    group = await feed.group(f"Sponsors {unique}")
    mailing_list = (await create_list(client, f"sponsors {unique}"))["id"]
    ann_address, bob_address, opted_address = (address(n, domain) for n in ("ann", "bob", "ot"))
    ann = await feed.contact("Ann", "<Peeters>", ann_address)
    bob = await feed.contact("", "Janssens", bob_address)
    twin = await feed.contact("", "Janssens", bob_address.upper())  # the same address again
    opted = await feed.contact("Otto", "Out", opted_address)
    deleted = await feed.contact("Del", "Eted", address("del", domain))
    for contact in (ann, bob, twin, opted, deleted):
        await feed.join(contact, group, f"Sponsors {unique}")
    senior = await memberships_feed.membership_type(f"Senior {unique}")
    applied = await memberships_feed.membership(ann, senior)
    await feed.delete_contact(deleted)
    await wait_for_contact(app, deleted, deleted=True)
    await wait_applied(app, applied)
    await eventually(lambda: subscribers(client, mailing_list), until=lambda s: len(s) == 4)
    opt_out = await client.post(f"/contacts/{opted}/opt-outs", json={"list_id": mailing_list})
    assert opt_out.status_code == 200, opt_out.text

    campaign = await create_campaign(
        client, 'News for {{ first_name | default("you") }}', HTML, list_ids=[mailing_list]
    )
    report = await send_and_wait(client, campaign["id"])

    assert report["recipients"] == 2 and report["sent"] == 2 and report["failed"] == 0
    counts = await wait_mails(maildir, domain, 2)
    assert counts == {ann_address.lower(): 1, bob_address.lower(): 1}
    mail = only_mail_to(maildir, ann_address)
    assert mail["Subject"] == "News for Ann"
    assert mail["From"] == "Kring Club <news@club.example>"
    text, html = body_parts(mail)
    assert "Dear Ann &lt;Peeters&gt;," in html  # values are escaped in HTML
    assert "Dear Ann <Peeters>," in text
    assert f"Your membership: Senior {unique}." in text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(mail) in html and unsubscribe_path(mail) in text
    bob_mail = only_mail_to(maildir, bob_address)
    assert "Dear member Janssens," in body_parts(bob_mail)[0]  # the default fills the gap
    assert "Your membership: none yet." in body_parts(bob_mail)[0]
    assert bob_mail["Message-ID"] != mail["Message-ID"]


async def test_the_one_click_unsubscribe_opts_out_and_a_later_join_does_not_resubscribe(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    domain = f"{unique}.example.org"
    maildir = Maildir()
    name = f"Parents {unique}"
    group = await feed.group(name)
    mailing_list = (await create_list(client, name.lower()))["id"]
    carla_address = address("carla", domain)
    carla = await feed.contact("Carla", "Claes", carla_address)
    await feed.join(carla, group, name)
    await eventually(lambda: subscribers(client, mailing_list), until=lambda s: s == {carla})
    campaign = await create_campaign(client, "Training", HTML, list_ids=[mailing_list])
    await send_and_wait(client, campaign["id"])
    await wait_mails(maildir, domain, 1)
    link = unsubscribe_path(only_mail_to(maildir, carla_address))

    choice = await client.get(link)
    assert choice.status_code == 200, choice.text
    assert choice.json()["list_name"] == name.lower() and choice.json()["choices"] == [
        "list",
        "all",
    ]
    page = await client.get(link, headers={"accept": "text/html"})
    assert page.status_code == 200 and page.text.count('<form method="post">') == 2
    assert await subscribers(client, mailing_list) == {carla}  # GET changes nothing

    one_click = await client.post(
        link,
        content="List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status_code == 200, one_click.text
    assert one_click.json()["scope"] == "list"
    assert await subscribers(client, mailing_list) == set()

    await feed.leave(carla, group, name)
    await feed.join(carla, group, name)
    witness = await feed.contact("Wit", "Ness", address("wit", domain))
    await feed.join(witness, group, name)
    await eventually(lambda: subscribers(client, mailing_list), until=lambda s: s == {witness})
    report = (await client.get(f"/campaigns/{campaign['id']}")).json()["report"]
    assert report["unsubscribed"] == 1


async def test_explicit_contacts_and_family_adults_with_all_lists_opt_out(
    app: FastAPI, client: httpx.AsyncClient, feed: ContactsFeed, unique: str
) -> None:
    domain = f"{unique}.example.org"
    maildir = Maildir()
    mum, dad, kid, other = (address(n, domain) for n in ("mum", "dad", "kid", "other"))
    mum_id = await feed.contact("Mia", "Maes", mum)
    dad_id = await feed.contact("Dirk", "Maes", dad)
    kid_id = await feed.contact("Kobe", "Maes", kid)
    other_id = await feed.contact("Olga", "Other", other)
    family = await feed.family(
        f"Maes {unique}", {mum_id: "parent", dad_id: "partner", kid_id: "child"}
    )
    await wait_for_contact(app, other_id, known=True)
    campaign = await create_campaign(
        client, "Family day", HTML, family_ids=[family], contact_ids=[other_id, mum_id]
    )

    async def family_known() -> int:
        response = await client.get(
            f"/campaigns/{campaign['id']}/preview", params={"contact_id": str(kid_id)}
        )
        return response.status_code

    await eventually(family_known, until=lambda status: status == 200)
    # Wait until the family's links arrived (they travel under the contacts' keys).
    for member in (mum_id, dad_id, kid_id):
        await wait_for_contact(app, member, known=True)
    await eventually(lambda: _family_size(app, family), until=lambda n: n == 3)
    report = await send_and_wait(client, campaign["id"])
    assert report["recipients"] == 3
    counts = await wait_mails(maildir, domain, 3)
    assert counts == {mum.lower(): 1, dad.lower(): 1, other.lower(): 1}

    # "All lists" from this explicit campaign keeps Olga out of the next one.
    link = unsubscribe_path(only_mail_to(maildir, other))
    choice = (await client.get(link)).json()
    assert choice["choices"] == ["all"]
    done = await client.post(link, data={"scope": "all"})
    assert done.status_code == 200 and done.json()["scope"] == "all", done.text
    again = await create_campaign(client, "Again", HTML, contact_ids=[other_id, mum_id])
    report = await send_and_wait(client, again["id"])
    assert report["recipients"] == 1
    opt_in = await client.delete(f"/contacts/{other_id}/opt-outs/all")
    assert opt_in.status_code == 204


async def _family_size(app: FastAPI, family_id: uuid.UUID) -> int:
    from sqlalchemy import func, select

    from kring_newsletters.db_models import FamilyMember
    from kring_platform.testing import runtime_of

    async with runtime_of(app).database.transaction() as session:
        return int(
            await session.scalar(select(func.count()).where(FamilyMember.family_id == family_id))
            or 0
        )
