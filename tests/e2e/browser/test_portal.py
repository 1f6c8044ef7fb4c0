"""The members' portal in a browser, from the invitation on: a secretary invites a contact from
the profile's portal tab (in a browser of their own), the mail reaches the stack's SMTP sink,
its link opens the page that sets the password and starts the member's session, and the
portal shows the member's own details (a phone changed, an IBAN refused at its field),
invoices with their PDF, memberships with the card, family and newsletters (an opt-out). The
same member is refused every other contact, in the app and with the app's own token; a used,
replaced or expired link says so; forgot-password answers an unknown address as a known one
and its link works once. Both languages, axe on every page, my details at 390 px."""

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from playwright.sync_api import Browser, Page, Request, expect

from kring_gateway.roles import Role
from kring_platform.testing import Maildir
from kring_stack.postgres import sqlalchemy_url

from ..conftest import RunningSystem
from ..gateway_api import PASSWORD
from .conftest import Api, check_accessibility, messages, sign_in
from .seed import eventually, link_token, membership_type, text

NL, EN = messages("nl"), messages("en")
MEMBER_PASSWORD = "a sentence for the portal 42"


def as_secretary(api: Api) -> dict[str, str]:
    answer = api.http.post(
        "/api/v1/auth/login", json={"email": api.login_of(Role.SECRETARY), "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def invite(api: Api, contact_id: str) -> dict[str, Any]:
    """The invitation a secretary sends, through the API."""
    answer = api.http.post(
        "/api/v1/invitations", json={"contact_id": contact_id}, headers=as_secretary(api)
    )
    assert answer.status_code == 201, answer.text
    invitation: dict[str, Any] = answer.json()
    return invitation


def invite_from_the_profile(page: Page, contact_id: str, email: str) -> None:
    """On a staff page: the contact's profile, its portal tab, the invite button; the panel says
    to which address the mail went."""
    page.goto(f"/contacts/{contact_id}")
    page.get_by_role("tab", name=NL["contacts.profile.tabs.portal"], exact=True).click()
    panel = page.get_by_role("tabpanel")
    panel.get_by_role("button", name=NL["invitations.form.invite"], exact=True).click()
    expect(panel.get_by_role("status")).to_have_text(text("invitations.form.sent", email=email))


def expire_invitations(system: RunningSystem, contact_id: str) -> None:
    """Moves the invitation's clock: its expiry a second ago."""
    url = sqlalchemy_url(system.profile, system.databases["gateway"])
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        conn.execute(
            "UPDATE invitations SET expires_at = %s WHERE contact_id = %s",
            (datetime.now(UTC) - timedelta(seconds=1), contact_id),
        )


def seed_member_data(api: Api, contact_id: str, tag: str) -> dict[str, Any]:
    """As the admin: a family, a current membership (for the card), an issued invoice and a
    mailing list the contact is on — each once the contact has reached that service."""
    family = api.call("POST", "/contacts/families", json={"name": f"Gezin {tag}", "address": {}})
    api.call(
        "PUT", f"/contacts/families/{family['id']}/members/{contact_id}", json={"role": "parent"}
    )
    kind = membership_type(api, f"Senioren {tag}")
    start = (date.today() - timedelta(days=30)).isoformat()
    membership = eventually(
        lambda: api.call(
            "POST",
            "/memberships/memberships",
            json={"contact_id": contact_id, "type_id": kind["id"], "start_date": start},
        ),
        until=bool,
    )
    draft = eventually(
        lambda: api.call(
            "POST",
            "/billing/invoices",
            json={
                "contact_id": contact_id,
                "lines": [{"description": "Clubtrui", "unit_price": "45.00"}],
            },
        ),
        until=bool,
    )
    invoice = api.call("POST", f"/billing/invoices/{draft['id']}/issue")
    mailing_list = api.call("POST", "/newsletters/lists", json={"name": f"Clubnieuws {tag}"})
    eventually(
        lambda: api.call(
            "POST",
            f"/newsletters/lists/{mailing_list['id']}/subscribers",
            json={"contact_id": contact_id},
        ),
        until=lambda answer: True,
    )
    return {
        "family": family,
        "membership": membership,
        "invoice": invoice,
        "list": mailing_list,
    }


def portal_nav(page: Page, catalog: dict[str, str] = NL) -> Any:
    return page.get_by_role("navigation", name=catalog["portal.nav.label"])


def open_portal_page(page: Page, key: str, catalog: dict[str, str] = NL) -> None:
    portal_nav(page, catalog).get_by_role("link", name=catalog[key], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(catalog[key])
    expect(page.locator(".loading")).to_have_count(0)


def test_an_invited_member_sets_a_password_and_looks_after_their_own_data(
    page: Page,
    api: Api,
    system: RunningSystem,
    browser: Browser,
    browser_context_args: dict[str, Any],
) -> None:
    tag = uuid.uuid4().hex[:6]
    email = f"lotte.{tag}@example.org"
    contact = api.contact(
        "Lotte",
        f"Portaal{tag}",
        emails=[email],
        phone="+32 470 12 34 56",
        address={"street": "Kerkstraat", "number": "12", "postcode": "2000", "city": "Antwerpen"},
    )
    other = api.contact("Andere", f"Persoon{tag}")
    seeded = seed_member_data(api, contact["id"], tag)
    maildir = Maildir(system.profile.mail_dir)

    staff = browser.new_context(**browser_context_args)
    try:
        staff_page = staff.new_page()
        sign_in(staff_page, api.login_of(Role.SECRETARY))
        invite_from_the_profile(staff_page, contact["id"], email)
    finally:
        staff.close()
    token = link_token(maildir, email, "invite")

    # The link: welcomed by name, the rules, a password typed twice.
    page.goto(f"/invite/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["auth.invite.title"])
    expect(page.get_by_text(text("auth.invite.welcome", name="Lotte"))).to_be_visible()
    check_accessibility(page, "portal-invite")
    page.get_by_label(NL["invitations.password.new"]).fill(MEMBER_PASSWORD)
    page.get_by_label(NL["invitations.password.repeat"]).fill(MEMBER_PASSWORD + " typo")
    page.get_by_role("button", name=NL["auth.invite.submit"]).click()
    expect(page.get_by_text(NL["invitations.password.differs"])).to_be_visible()
    page.get_by_label(NL["invitations.password.repeat"]).fill(MEMBER_PASSWORD)

    tokens: list[str] = []

    def note_token(request: Request) -> None:
        bearer = request.headers.get("authorization", "")
        if request.url.split("?")[0].endswith("/auth/me") and bearer:
            tokens.append(bearer)

    page.on("request", note_token)
    page.get_by_role("button", name=NL["auth.invite.submit"]).click()

    # The portal, as the member: my details first.
    expect(portal_nav(page)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["portal.nav.details"])
    expect(page.get_by_text("0470 12 34 56")).to_be_visible()  # stored E.164, shown national
    expect(page.get_by_role("navigation", name=NL["shell.nav.label"])).to_have_count(0)
    check_accessibility(page, "portal-details")

    # Changing my phone: an ordinary contact change, seen through the API.
    page.get_by_role("button", name=NL["portal.details.edit"]).click()
    page.get_by_label(NL["portal.field.phoneNumber"]).fill("+32 470 99 88 77")
    page.get_by_label(NL["portal.field.iban"]).fill("BE00 1234")
    page.get_by_role("button", name=NL["portal.details.save"]).click()
    iban_field = page.locator(".field", has=page.get_by_label(NL["portal.field.iban"]))
    expect(iban_field.locator(".field-error")).to_have_text(NL["portal.error.iban"])
    assert api.call("GET", f"/contacts/contacts/{contact['id']}")["phone"] == "+32470123456"
    check_accessibility(page, "portal-details-errors")
    page.get_by_label(NL["portal.field.iban"]).fill("")
    page.get_by_role("button", name=NL["portal.details.save"]).click()
    expect(page.get_by_role("status")).to_have_text(NL["portal.details.saved"])
    expect(page.get_by_text("0470 99 88 77")).to_be_visible()  # stored E.164, shown national
    stored = api.call("GET", f"/contacts/contacts/{contact['id']}")
    assert stored["phone"] == "+32470998877" and stored["emails"] == [email]

    # My invoices: the one billed, open, with its PDF.
    invoice = seeded["invoice"]
    open_portal_page(page, "portal.nav.invoices")
    row = page.get_by_role("row", name=re.compile(re.escape(invoice["number"])))
    expect(row).to_contain_text(NL["portal.invoices.open"])
    expect(row).to_contain_text("45,00")
    check_accessibility(page, "portal-invoices")
    with page.expect_download() as pdf:
        row.get_by_role(
            "button", name=text("portal.invoices.pdfOf", number=invoice["number"])
        ).click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    assert (pdf.value.path().read_bytes()[:5]) == b"%PDF-"

    # My membership and my card.
    open_portal_page(page, "portal.nav.memberships")
    expect(page.get_by_role("row", name=re.compile(f"Senioren {tag}"))).to_contain_text(
        NL["portal.memberships.status.active"]
    )
    check_accessibility(page, "portal-memberships")
    with page.expect_download() as card:
        page.get_by_role("button", name=NL["portal.card.download"]).click()
    assert card.value.path().read_bytes()[:5] == b"%PDF-"

    # My family.
    open_portal_page(page, "portal.nav.family")
    expect(page.get_by_role("heading", level=2)).to_have_text(f"Gezin {tag}")
    expect(page.get_by_text(NL["portal.family.role.parent"], exact=True)).to_be_visible()
    check_accessibility(page, "portal-family")

    # My newsletters: opting out of one list holds in the newsletters service.
    list_name = seeded["list"]["name"]
    open_portal_page(page, "portal.nav.subscriptions")
    opt_out = page.get_by_role(
        "button", name=text("portal.subscriptions.optOutNamed", list=list_name)
    )
    check_accessibility(page, "portal-subscriptions")
    opt_out.click()
    item = page.get_by_role("listitem").filter(has_text=list_name)
    expect(item).to_contain_text(NL["portal.subscriptions.optedOut"])
    expect(
        item.get_by_role("button", name=text("portal.subscriptions.optInNamed", list=list_name))
    ).to_be_visible()
    standing = api.call("GET", f"/newsletters/contacts/{contact['id']}/subscriptions")["items"]
    assert [s["opted_out"] for s in standing if s["list_id"] == seeded["list"]["id"]] == [True]

    # Another contact: not found in the app, and refused to the app's own token.
    page.goto(f"/contacts/{other['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["common.notFound.title"])
    assert tokens, "the app asked /auth/me with its token"
    own = page.request.get(
        f"/api/v1/contacts/{contact['id']}/profile", headers={"Authorization": tokens[-1]}
    )
    assert own.status == 200
    refused = page.request.get(
        f"/api/v1/contacts/{other['id']}/profile", headers={"Authorization": tokens[-1]}
    )
    assert refused.status == 404
    assert (
        page.request.get(
            f"/api/v1/contacts/contacts/{other['id']}", headers={"Authorization": tokens[-1]}
        ).status
        == 404
    )

    # English, and my details on a phone.
    page.goto("/")
    page.get_by_label(NL["shell.language"], exact=True).select_option("en")
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["portal.nav.details"])
    for key in ("portal.nav.invoices", "portal.nav.memberships", "portal.nav.details"):
        open_portal_page(page, key, EN)
        check_accessibility(page, f"portal-{key.rsplit('.', 1)[1]}-en")
    page.get_by_label(EN["shell.language"], exact=True).select_option("nl")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["portal.nav.details"])
    check_accessibility(page, "portal-details-390")
    page.get_by_role("button", name=NL["portal.details.edit"]).click()
    expect(page.get_by_label(NL["portal.field.phoneNumber"])).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    check_accessibility(page, "portal-details-edit-390")

    # The used link says so.
    page.goto(f"/invite/{token}")
    expect(page.get_by_role("alert")).to_have_text(NL["auth.invite.accepted"])
    check_accessibility(page, "portal-invite-used")


def test_a_replaced_or_expired_invitation_link_is_refused(
    page: Page, api: Api, system: RunningSystem
) -> None:
    tag = uuid.uuid4().hex[:6]
    email = f"bram.{tag}@example.org"
    contact = api.contact("Bram", f"Verlopen{tag}", emails=[email])
    maildir = Maildir(system.profile.mail_dir)
    invite(api, contact["id"])
    first = link_token(maildir, email, "invite")
    invite(api, contact["id"])
    second = link_token(maildir, email, "invite", seen=1)
    assert first != second

    page.goto(f"/invite/{first}")
    expect(page.get_by_role("alert")).to_have_text(NL["auth.invite.revoked"])
    expect(page.get_by_label(NL["invitations.password.new"])).to_have_count(0)

    expire_invitations(system, contact["id"])
    page.goto(f"/invite/{second}")
    expect(page.get_by_role("alert")).to_have_text(NL["auth.invite.expired"])
    check_accessibility(page, "portal-invite-expired")
    page.get_by_label(NL["invitations.public.language"]).select_option("en")
    expect(page.get_by_role("alert")).to_have_text(EN["auth.invite.expired"])

    page.goto("/invite/not-a-token-this-club-signed")
    expect(page.get_by_role("alert")).to_have_text(EN["auth.invite.unknown"])
    login = api.http.post("/api/v1/auth/login", json={"email": email, "password": MEMBER_PASSWORD})
    assert login.status_code == 401


def test_forgot_password_answers_alike_and_its_link_works_once(
    page: Page, api: Api, system: RunningSystem
) -> None:
    contact = api.contact("Mila", f"Vergeten{uuid.uuid4().hex[:6]}")
    known = api.login_of(Role.MEMBER, contact["id"])
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.org"
    maildir = Maildir(system.profile.mail_dir)

    answers = []
    for address in (unknown, known):
        page.goto("/forgot-password")
        expect(page.get_by_role("heading", level=1)).to_have_text(NL["auth.forgot.title"])
        page.get_by_label(NL["auth.forgot.email"]).fill(address)
        page.get_by_role("button", name=NL["auth.forgot.submit"]).click()
        expect(page.get_by_role("status")).to_be_visible()
        answers.append(page.locator("#main").inner_text())
    assert answers[0] == answers[1]
    assert NL["auth.forgot.sent"] in answers[0]
    check_accessibility(page, "portal-forgot-sent")

    token = link_token(maildir, known, "reset-password")
    assert maildir.messages_to(unknown) == []

    page.goto(f"/reset-password/{token}")
    check_accessibility(page, "portal-reset")
    new_password = "a new sentence for the portal 7"
    page.get_by_label(NL["invitations.password.new"]).fill(new_password)
    page.get_by_label(NL["invitations.password.repeat"]).fill(new_password)
    page.get_by_role("button", name=NL["auth.reset.submit"]).click()
    expect(page.get_by_role("status")).to_have_text(NL["auth.reset.done"])
    page.get_by_role("link", name=NL["auth.reset.toLogin"]).click()
    sign_in(page, known, new_password)
    expect(portal_nav(page)).to_be_visible()

    page.goto(f"/reset-password/{token}")
    page.get_by_label(NL["invitations.password.new"]).fill(new_password)
    page.get_by_label(NL["invitations.password.repeat"]).fill(new_password)
    page.get_by_role("button", name=NL["auth.reset.submit"]).click()
    expect(page.get_by_role("alert")).to_have_text(NL["auth.reset.used"])

    # The page in English, an address refused before anything is sent.
    page.goto("/forgot-password")
    page.get_by_label(NL["invitations.public.language"]).select_option("en")
    page.get_by_label(EN["auth.forgot.email"]).fill("not an address")
    page.get_by_role("button", name=EN["auth.forgot.submit"]).click()
    expect(page.get_by_text(EN["auth.forgot.invalid"])).to_be_visible()
    check_accessibility(page, "portal-forgot-en")
