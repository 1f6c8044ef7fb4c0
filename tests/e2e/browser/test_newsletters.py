"""Newsletters in a browser, as the communications volunteer: a mailing list linked to a group
shows the group's members (through the event flow); a campaign composed with bold text and a
placeholder, previewed for one recipient with their name filled in, sent with a confirmation,
its progress to done and its report (2 sent); the SMTP sink holds the mail with a working
unsubscribe link, and following it opts the contact out. A stale rename of a list; bouncing
addresses cleared; every page in Dutch and English; axe on every page."""

import re
import uuid
from email.message import EmailMessage
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from kring_gateway.roles import Role
from kring_platform.testing import Maildir

from ..conftest import RunningSystem
from ..gateway_api import PASSWORD
from .conftest import Api, check_accessibility, messages, sign_in
from .seed import eventually, text

NL = messages("nl")
EN = messages("en")


def communications(page: Page, api: Api) -> None:
    sign_in(page, api.login_of(Role.COMMUNICATIONS))


def team(api: Api, tag: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A group with two members who have an e-mail address (seeded as admin)."""
    group = api.call("POST", "/contacts/groups", json={"name": f"Ploeg {tag}"})
    members = []
    for first, last in (("Anneke", "Peeters"), ("Bram", "Janssens")):
        contact = api.contact(first, f"{last}{tag}", emails=[f"{first.lower()}.{tag}@example.org"])
        api.call("PUT", f"/contacts/groups/{group['id']}/members/{contact['id']}")
        members.append(contact)
    return group, members


def create_list(page: Page, name: str) -> None:
    page.goto("/mailing-lists")
    page.get_by_role("button", name=NL["newsletters.lists.create"]).click()
    page.get_by_role("dialog").get_by_label(NL["newsletters.list.name"]).fill(name)
    page.get_by_role("button", name=NL["newsletters.lists.createSubmit"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def html_of(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None, message
    return str(part.get_content())


def test_a_campaign_to_a_group_list_is_previewed_sent_reported_and_unsubscribed(
    page: Page, api: Api, system: RunningSystem
) -> None:
    tag = uuid.uuid4().hex[:6]
    group, (anneke, bram) = team(api, tag)
    maildir = Maildir(system.profile.mail_dir)
    communications(page, api)

    # The list follows the group: its members appear as subscribers (contacts → newsletters).
    list_name = f"Nieuwsbrief {tag}"
    create_list(page, list_name)
    page.get_by_label(NL["newsletters.group.choose"]).select_option(label=group["name"])
    page.get_by_role("button", name=NL["newsletters.group.link"], exact=True).click()
    expect(page.get_by_role("link", name=group["name"])).to_be_visible()
    subscribers = page.get_by_role("region", name=NL["newsletters.subscribers.heading"])
    for contact in (anneke, bram):
        expect(subscribers.get_by_role("cell", name=contact["emails"][0])).to_be_visible(
            timeout=30_000
        )
    list_url = page.url
    check_accessibility(page, "newsletters-list-nl")
    page.goto("/mailing-lists")
    expect(page.get_by_role("link", name=list_name)).to_be_visible()
    check_accessibility(page, "newsletters-lists-nl")

    # Compose: a subject with a field, a body with bold text, a field and the unsubscribe link.
    page.goto("/campaigns")
    check_accessibility(page, "newsletters-campaigns-nl")
    page.get_by_role("link", name=NL["newsletters.campaigns.compose"]).click()
    page.get_by_label(NL["newsletters.campaign.subject"]).fill(f"Nieuws {tag} voor ")
    page.get_by_role("button", name=NL["newsletters.compose.subjectField"]).click()
    page.get_by_role("button", name=re.compile(f"^{NL['newsletters.field.first_name']}")).click()
    body = page.get_by_role("textbox", name=NL["newsletters.campaign.body"])
    toolbar = page.get_by_role("toolbar", name=NL["newsletters.editor.toolbar"])
    body.click()
    page.keyboard.type("Dag ")
    toolbar.get_by_role("button", name=NL["newsletters.editor.insertField"]).click()
    page.get_by_role("button", name=re.compile(f"^{NL['newsletters.field.first_name']}")).click()
    page.keyboard.type(", ")
    toolbar.get_by_role("button", name=NL["newsletters.editor.bold"]).click()
    expect(toolbar.get_by_role("button", name=NL["newsletters.editor.bold"])).to_have_attribute(
        "aria-pressed", "true"
    )
    page.keyboard.type("het seizoen begint!")
    toolbar.get_by_role("button", name=NL["newsletters.editor.bold"]).click()
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name=NL["newsletters.editor.insertField"]).click()
    page.get_by_role(
        "button", name=re.compile(f"^{NL['newsletters.field.unsubscribe_url']}")
    ).click()
    expect(body.locator("b, strong", has_text="het seizoen begint!")).to_be_visible()
    page.get_by_label(list_name).check()
    check_accessibility(page, "newsletters-compose-nl")
    page.get_by_role("button", name=NL["newsletters.compose.save"]).click()

    # The draft: its audience's size, and the preview for Anneke with her name filled in.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Nieuws {tag} voor {{{{ first_name }}}}"
    )
    expect(page.get_by_text(text("newsletters.audience.size", count="2"))).to_be_visible()
    page.get_by_label(NL["newsletters.preview.recipient"]).fill(f"Anneke Peeters{tag}")
    page.get_by_role("option", name=re.compile(f"Anneke Peeters{tag}")).click()
    preview = page.get_by_role("region", name=NL["newsletters.preview.heading"])
    expect(preview.get_by_text(f"Nieuws {tag} voor Anneke", exact=True)).to_be_visible()
    frame = page.frame_locator("iframe[sandbox='']")
    expect(frame.locator("body")).to_contain_text("Dag Anneke, het seizoen begint!")
    expect(frame.locator("b, strong")).to_have_text("het seizoen begint!")
    check_accessibility(page, "newsletters-campaign-draft-nl")

    # Send, confirmed with the audience's size; the progress reaches done, the report says 2.
    page.get_by_role("button", name=NL["newsletters.campaign.send"]).click()
    page.get_by_role("button", name=text("newsletters.campaign.sendTo", count="2")).click()
    done = text("newsletters.report.done", sent="2", failed="0", total="2")
    expect(page.get_by_text(done)).to_be_visible(timeout=60_000)
    expect(page.locator("progress")).to_have_js_property("value", 2)
    report = page.get_by_role("region", name=NL["newsletters.report.heading"])
    sent = report.locator("div").filter(
        has=page.get_by_text(NL["newsletters.report.sent"], exact=True)
    )
    expect(sent.locator("dd")).to_have_text("2")
    deliveries = page.get_by_role("region", name=NL["newsletters.delivery.heading"])
    expect(
        deliveries.get_by_role("cell", name=NL["newsletters.delivery.sent"], exact=True)
    ).to_have_count(2)
    check_accessibility(page, "newsletters-campaign-sent-nl")

    # The sink holds Anneke's mail, personalised, bold, with her own unsubscribe link.
    address = anneke["emails"][0]
    mails = eventually(lambda: maildir.messages_to(address), until=lambda found: len(found) >= 1)
    [mail] = [m for m in mails if tag in str(m["Subject"])]
    assert str(mail["Subject"]) == f"Nieuws {tag} voor Anneke"
    html = html_of(mail)
    assert re.search(r"Dag Anneke, <(b|strong)>het seizoen begint!</(b|strong)>", html), html
    link = re.search(r'href="([^"]*/unsubscribe/[^"]+)"', html)
    assert link, html
    url = link.group(1)
    assert str(mail["List-Unsubscribe"]) == f"<{url}>"
    with httpx.Client(timeout=30.0) as anyone:
        choice = anyone.get(url, headers={"accept": "application/json"})
        assert choice.status_code == 200, choice.text
        assert choice.json()["list_name"] == list_name
        done_answer = anyone.post(url)
        assert done_answer.status_code == 200, done_answer.text
    standing = api.call("GET", f"/newsletters/contacts/{anneke['id']}/subscriptions")
    [on_list] = [s for s in standing["items"] if s["list_name"] == list_name]
    assert on_list["opted_out"] is True and on_list["active"] is False

    # The list no longer shows her; Bram stays.
    page.goto(list_url)
    subscribers = page.get_by_role("region", name=NL["newsletters.subscribers.heading"])
    expect(subscribers.get_by_role("cell", name=bram["emails"][0])).to_be_visible()
    expect(subscribers.get_by_role("cell", name=address)).to_have_count(0)


def test_a_stale_rename_of_a_list_shows_the_current_name(page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    communications(page, api)
    create_list(page, f"Sponsors {tag}")
    list_id = page.url.rsplit("/", 1)[-1]
    # Someone else renames it after the page was loaded.
    api.call("PATCH", f"/newsletters/lists/{list_id}", json={"name": f"Sponsors {tag} (oud)"})
    page.get_by_role("button", name=NL["newsletters.list.rename"]).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label(NL["newsletters.list.name"]).fill(f"Partners {tag}")
    dialog.get_by_role("button", name=NL["common.save"]).click()
    expect(dialog.get_by_role("alert")).to_contain_text(
        text("newsletters.list.stale", name=f"Sponsors {tag} (oud)")
    )
    dialog.get_by_role("button", name=NL["newsletters.list.keepMine"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Partners {tag}")
    current = api.call("GET", f"/newsletters/lists/{list_id}")
    assert current["name"] == f"Partners {tag}" and current["version"] == 3


def delivery_report(recipient: str) -> bytes:
    """A hard bounce (RFC 3464) as a mail server returns it."""
    return (
        "From: MAILER-DAEMON@mx.example.net\r\nTo: news@club.example\r\n"
        f"Subject: Undelivered Mail\r\nMessage-ID: <dsn-{uuid.uuid4().hex}@mx.example.net>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 mailbox unknown\r\n\r\n"
        "--B--\r\n"
    ).encode()


def test_newsletter_pages_in_english_and_a_bouncing_address_cleared(
    page: Page, api: Api, base_url: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    gone = f"gone.{tag}@example.org"
    login = api.login_of(Role.COMMUNICATIONS)
    with httpx.Client(base_url=base_url, timeout=30.0) as gateway:
        token = gateway.post("/api/v1/auth/login", json={"email": login, "password": PASSWORD})
        headers = {
            "authorization": f"Bearer {token.json()['access_token']}",
            "content-type": "message/rfc822",
        }
        reported = gateway.post(
            "/api/v1/newsletters/bounces", content=delivery_report(gone), headers=headers
        )
        assert reported.status_code == 200, reported.text
        assert reported.json()[0]["now_bouncing"] is True

    communications(page, api)
    page.goto("/bouncing-addresses")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["newsletters.bouncing.title"])
    page.get_by_label(NL["shell.language"], exact=True).select_option("en")
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["newsletters.bouncing.title"])
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=gone))
    expect(row).to_contain_text(text("newsletters.bouncing.countsValue", EN, hard="1", soft="0"))
    check_accessibility(page, "newsletters-bouncing-en")
    row.get_by_role("button", name=f"{EN['newsletters.bouncing.clear']} {gone}").click()
    page.get_by_role("dialog").get_by_role(
        "button", name=EN["newsletters.bouncing.clear"], exact=True
    ).click()
    expect(page.get_by_text(text("newsletters.bouncing.cleared", EN, email=gone))).to_be_visible()
    expect(page.get_by_role("cell", name=gone)).to_have_count(0)
    assert api.call("GET", f"/newsletters/bouncing-addresses/{gone}")["bouncing"] is False

    page.goto("/mailing-lists")
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["newsletters.lists.title"])
    expect(page.get_by_role("button", name=EN["newsletters.lists.create"])).to_be_visible()
    check_accessibility(page, "newsletters-lists-en")
    page.goto("/campaigns")
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["newsletters.campaigns.title"])
    check_accessibility(page, "newsletters-campaigns-en")
    page.get_by_role("link", name=EN["newsletters.campaigns.compose"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["newsletters.compose.title"])
    expect(page.get_by_role("toolbar", name=EN["newsletters.editor.toolbar"])).to_be_visible()
    expect(page.get_by_role("group", name=EN["newsletters.audience.heading"])).to_be_visible()
    check_accessibility(page, "newsletters-compose-en")

    # A list and a draft of its own, seeded, in English.
    mailing_list = api.call("POST", "/newsletters/lists", json={"name": f"Club news {tag}"})
    draft = api.call(
        "POST",
        "/newsletters/campaigns",
        json={
            "subject": f"Season {tag}",
            "html_body": "<p>Hello {{ first_name }}</p>",
            "audience": {"list_ids": [mailing_list["id"]]},
        },
    )
    page.goto(f"/mailing-lists/{mailing_list['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Club news {tag}")
    expect(page.get_by_text(EN["newsletters.group.none"])).to_be_visible()
    check_accessibility(page, "newsletters-list-en")
    page.goto(f"/campaigns/{draft['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Season {tag}")
    expect(page.get_by_text(text("newsletters.audience.size", EN, count="0"))).to_be_visible()
    expect(page.frame_locator("iframe[sandbox='']").locator("body")).to_contain_text(
        "Hello {{ first_name }}"
    )
    check_accessibility(page, "newsletters-campaign-draft-en")
    page.get_by_label(EN["shell.language"], exact=True).select_option("nl")
