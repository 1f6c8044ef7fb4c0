"""Flows that cross features, as people run them from the browser: a membership started,
ended and looked up on another day from the contact's profile; the end of a membership of a
refunding type becoming a credit note on the profile's invoices tab (memberships → Kafka →
billing, seen without a reload); a portal invitation sent from the profile, its mail at the
SMTP sink, accepted in another browser; all matches of an advanced search invited at once."""

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from playwright.sync_api import Browser, Locator, Page, expect

from kring_billing.contribution_runs.periods import yearly_period
from kring_gateway.roles import Role
from kring_platform.testing import Maildir

from ..conftest import RunningSystem
from .conftest import Api, check_accessibility, messages, sign_in
from .seed import eventually, link_token, membership_type, text
from .test_billing import euro
from .test_finder import condition, matches, open_finder, set_text_condition
from .test_portal import MEMBER_PASSWORD, invite_from_the_profile, portal_nav

NL = messages("nl")
# Event flows (memberships → Kafka → billing) on a loaded 2-core machine.
FLOW_TIMEOUT_MS = 30_000


def shown_date(page: Page, day: date) -> str:
    """A calendar day as the app shows it in Dutch (Intl's medium style)."""
    shown: str = page.evaluate(
        "day => new Intl.DateTimeFormat('nl-BE', {dateStyle: 'medium'})"
        ".format(new Date(day + 'T00:00:00'))",
        day.isoformat(),
    )
    return shown


def known_to_memberships(api: Api, contact_id: str) -> None:
    """Waits until the contact has reached the memberships service (404 until then)."""
    eventually(lambda: api.call("GET", f"/memberships/contacts/{contact_id}/access"), until=bool)


def memberships_of(api: Api, contact_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = api.call(
        "GET", f"/memberships/contacts/{contact_id}/memberships"
    )["items"]
    return items


def open_tab(page: Page, key: str) -> Locator:
    page.get_by_role("tab", name=NL[f"contacts.profile.tabs.{key}"], exact=True).click()
    return page.get_by_role("tabpanel")


def test_a_membership_started_changed_and_ended_from_the_profile(
    staff_page: Page, api: Api
) -> None:
    page = staff_page
    tag = uuid.uuid4().hex[:6]
    kind = membership_type(api, f"Jeugd {tag}")
    contact = api.contact("Noor", f"Lidmaat{tag}")
    known_to_memberships(api, contact["id"])
    today = date.today()
    start, end, before = (
        today - timedelta(days=10),
        today + timedelta(days=60),
        today - timedelta(days=20),
    )

    page.goto(f"/contacts/{contact['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Noor Lidmaat{tag}")
    panel = open_tab(page, "memberships")
    verdict = panel.locator(".ms-verdict")
    expect(panel.get_by_text(NL["memberships.panel.none"])).to_be_visible()
    expect(verdict).to_have_text(text("memberships.panel.noMemberOn", date=shown_date(page, today)))

    # Start: the type and the first day.
    panel.get_by_role("button", name=NL["memberships.panel.start"]).click()
    dialog = page.get_by_role("dialog", name=NL["memberships.panel.start"])
    dialog.get_by_label(NL["memberships.field.type"]).select_option(label=kind["name"])
    dialog.get_by_label(NL["memberships.field.start"]).fill(start.isoformat())
    check_accessibility(page, "flows-membership-start")
    dialog.get_by_role("button", name=NL["memberships.start.submit"]).click()
    expect(dialog).to_be_hidden()
    expect(verdict).to_have_text(
        text("memberships.panel.memberOn", date=shown_date(page, today), types=kind["name"])
    )
    row = panel.get_by_role("row", name=re.compile(re.escape(kind["name"])))
    expect(row).to_contain_text(shown_date(page, start))
    expect(row).to_contain_text(NL["memberships.status.active"])
    [started] = memberships_of(api, contact["id"])
    assert (started["type_id"], started["start_date"]) == (kind["id"], start.isoformat())
    assert started["end_date"] is None
    check_accessibility(page, "flows-membership-started")

    # An end with its reason.
    end_one = text("memberships.end.openOne", type=kind["name"])
    panel.get_by_role("button", name=end_one).click()
    dialog = page.get_by_role("dialog", name=text("memberships.end.title", type=kind["name"]))
    dialog.get_by_label(NL["memberships.end.date"]).fill(end.isoformat())
    dialog.get_by_label(NL["memberships.end.reason"]).select_option("other")
    check_accessibility(page, "flows-membership-end")
    dialog.get_by_role("button", name=NL["memberships.end.submit"]).click()
    expect(dialog).to_be_hidden()
    expect(row).to_contain_text(shown_date(page, end))
    expect(row).to_contain_text(NL["memberships.reason.other"])
    [ended] = memberships_of(api, contact["id"])
    assert (ended["end_date"], ended["end_reason"]) == (end.isoformat(), "other")

    # Still a member today; not yet on a day before the start.
    expect(verdict).to_have_text(
        text("memberships.panel.memberOn", date=shown_date(page, today), types=kind["name"])
    )
    panel.get_by_label(NL["memberships.panel.statusOn"]).fill(before.isoformat())
    expect(verdict).to_have_text(
        text("memberships.panel.noMemberOn", date=shown_date(page, before))
    )
    expect(row).to_contain_text(NL["memberships.status.upcoming"])
    check_accessibility(page, "flows-membership-before-start")


def test_ending_a_refunding_membership_shows_the_credit_note_on_the_profile(
    page: Page, api: Api
) -> None:
    tag = uuid.uuid4().hex[:6]
    today = date.today()
    season = yearly_period(today, 9, 1)
    kind = membership_type(api, f"Senioren {tag}", pro_rata=True, refund_on_early_end=True)
    contact = api.contact("Rik", f"Terug{tag}")
    known_to_memberships(api, contact["id"])
    api.call(
        "POST",
        "/memberships/memberships",
        json={
            "contact_id": contact["id"],
            "type_id": kind["id"],
            "start_date": season.start.isoformat(),
        },
    )
    # The contact, the type and the membership reach billing; a run bills the season.
    dry = {"period_day": season.start.isoformat(), "type_ids": [kind["id"]], "dry_run": True}
    eventually(
        lambda: api.call("POST", "/billing/contribution-runs", json=dry),
        until=lambda preview: preview["invoices"] == 1,
    )
    run = api.call(
        "POST",
        "/billing/contribution-runs",
        json={"period_day": season.start.isoformat(), "type_ids": [kind["id"]]},
        expect_status=202,
    )
    eventually(
        lambda: api.call("GET", f"/billing/contribution-runs/{run['id']}"),
        until=lambda progress: progress["status"] == "completed",
        seconds=60,
    )
    [invoice] = api.call("GET", f"/billing/contacts/{contact['id']}/invoices")["items"]
    assert invoice["status"] == "issued"

    # As the admin (a secretary may not read invoices): the end, set from the profile.
    sign_in(page, api.login_of(Role.ADMIN))
    page.goto(f"/contacts/{contact['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rik Terug{tag}")
    invoices = open_tab(page, "invoices").get_by_role("table", name=NL["billing.panel.caption"])
    expect(invoices.locator("tbody tr")).to_have_count(1)
    expect(invoices.get_by_role("link", name=invoice["number"], exact=True)).to_be_visible()
    end = min(today + timedelta(days=30), season.end - timedelta(days=1))
    panel = open_tab(page, "memberships")
    panel.get_by_role("button", name=text("memberships.end.openOne", type=kind["name"])).click()
    dialog = page.get_by_role("dialog", name=text("memberships.end.title", type=kind["name"]))
    dialog.get_by_label(NL["memberships.end.date"]).fill(end.isoformat())
    dialog.get_by_role("button", name=NL["memberships.end.submit"]).click()
    expect(dialog).to_be_hidden()
    expect(panel.get_by_role("row", name=re.compile(re.escape(kind["name"])))).to_contain_text(
        shown_date(page, end)
    )

    # The invoices tab: the credit note arrives through billing without a reload.
    invoices = open_tab(page, "invoices").get_by_role("table", name=NL["billing.panel.caption"])
    credit_link = invoices.get_by_role("link", name=re.compile(r"\(creditnota\)$"))
    expect(credit_link).to_be_visible(timeout=FLOW_TIMEOUT_MS)
    documents = api.call("GET", f"/billing/contacts/{contact['id']}/invoices")["items"]
    credit = next(document for document in documents if document["kind"] == "credit_note")
    assert credit["credits_invoice_id"] == invoice["id"]
    expect(credit_link).to_have_text(
        text("billing.invoice.creditNoteNumber", number=credit["number"])
    )
    # The invoice's open amount is what the credit note left of it.
    open_amount = api.call("GET", f"/billing/invoices/{invoice['id']}")["open_amount"]
    assert Decimal(open_amount) == Decimal(invoice["total"]) - Decimal(credit["total"])
    invoice_row = invoices.get_by_role("row", name=re.compile(f"^{invoice['number']} "))
    expect(invoice_row).to_contain_text(euro(Decimal(open_amount)))
    check_accessibility(page, "flows-profile-credit-note")


def test_invite_from_the_profile_and_accept_in_the_portal(
    staff_page: Page,
    api: Api,
    system: RunningSystem,
    browser: Browser,
    browser_context_args: dict[str, Any],
) -> None:
    page = staff_page
    tag = uuid.uuid4().hex[:6]
    email = f"jana.{tag}@example.org"
    contact = api.contact(
        "Jana",
        f"Uitgenodigd{tag}",
        emails=[email],
        phone="+32 470 55 66 77",
        address={"street": "Markt", "number": "1", "postcode": "3000", "city": "Leuven"},
    )
    maildir = Maildir(system.profile.mail_dir)

    page.goto(f"/contacts/{contact['id']}")
    panel = open_tab(page, "portal")
    expect(panel.get_by_text(NL["invitations.panel.none"])).to_be_visible()
    check_accessibility(page, "flows-portal-tab")
    invite_from_the_profile(page, contact["id"], email)
    expect(panel.get_by_role("row", name=re.compile(re.escape(email)))).to_contain_text(
        NL["invitations.state.open"]
    )
    check_accessibility(page, "flows-portal-invited")
    [invitation] = api.call("GET", "/invitations", params={"contact_id": contact["id"]})["items"]
    assert invitation["state"] == "open" and invitation["email"] == email

    token = link_token(maildir, email, "invite")

    # The member, in a browser of their own.
    member_context = browser.new_context(**browser_context_args)
    try:
        member = member_context.new_page()
        member.goto(f"/invite/{token}")
        expect(member.get_by_text(text("auth.invite.welcome", name="Jana"))).to_be_visible()
        member.get_by_label(NL["invitations.password.new"]).fill(MEMBER_PASSWORD)
        member.get_by_label(NL["invitations.password.repeat"]).fill(MEMBER_PASSWORD)
        member.get_by_role("button", name=NL["auth.invite.submit"]).click()
        expect(portal_nav(member)).to_be_visible()
        expect(member.get_by_role("heading", level=1)).to_have_text(NL["portal.nav.details"])
        # Entered as +32 470 55 66 77: stored E.164, shown in the national form.
        expect(member.get_by_text("0470 55 66 77")).to_be_visible()
        expect(member.get_by_text("Leuven")).to_be_visible()
        check_accessibility(member, "flows-portal-accepted")
    finally:
        member_context.close()

    # Back on the profile: the invitation is accepted.
    page.reload()
    panel = open_tab(page, "portal")
    expect(panel.get_by_role("row", name=re.compile(re.escape(email)))).to_contain_text(
        NL["invitations.state.accepted"]
    )


def test_bulk_invite_from_the_advanced_search(staff_page: Page, api: Api) -> None:
    page = staff_page
    last = f"Massa{uuid.uuid4().hex[:6]}"
    contacts = [
        api.contact(first, last, emails=[f"{first.lower()}.{last.lower()}@example.org"])
        for first in ("Anna", "Bert", "Cato")
    ]

    open_finder(page)
    page.get_by_role("button", name=NL["finder.group.addCondition"], exact=True).click()
    set_text_condition(condition(page, "1"), "last_name", "equals", last)
    page.get_by_role("button", name=NL["finder.builder.run"], exact=True).click()
    expect(page.get_by_role("status").filter(has_text=matches(3))).to_be_visible()

    page.get_by_role("button", name=text("finder.invite.prepare", count="3")).click()
    page.get_by_role("button", name=text("invitations.bulk.button", count="3")).click()
    confirm = page.get_by_role("dialog", name=NL["invitations.bulk.title"])
    expect(confirm).to_contain_text(text("invitations.bulk.confirmBody", count="3"))
    check_accessibility(page, "flows-bulk-invite-confirm")
    confirm.get_by_role("button", name=text("invitations.bulk.confirm", count="3")).click()

    result = page.get_by_role("dialog", name=NL["invitations.bulk.resultTitle"])
    expect(result.get_by_role("status")).to_contain_text(
        text("invitations.bulk.invited", count="3")
    )
    expect(result.get_by_role("status")).to_contain_text(
        text("invitations.bulk.skipped", count="0")
    )
    check_accessibility(page, "flows-bulk-invite-done")
    for contact in contacts:
        items = api.call("GET", "/invitations", params={"contact_id": contact["id"]})["items"]
        assert [item["state"] for item in items] == ["open"], items
    result.get_by_role("button", name=NL["common.close"]).click()
    expect(result).to_be_hidden()
