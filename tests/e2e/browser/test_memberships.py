"""Memberships in a browser, as the secretary: a type created with its fee and a later rate on
the fee timeline (an earlier date refused), a stale edit of a type, members on a day counted
by type after seeding through the API, the calendar of starts, a sheet of cards downloaded;
and the public page a card's QR code opens, at phone width without signing in: valid,
expired, unknown. Both languages, axe on every page."""

import re
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from kring_memberships.cards import MemberCard, sign_card
from kring_stack.profiles import get_profile
from kring_stack.secrets import CARD_KEY, stack_secret

from .conftest import Api, check_accessibility, messages

NL = messages("nl")
EN = messages("en")


def text(catalog: dict[str, str], key: str, **values: object) -> str:
    template = catalog[key]
    for name, value in values.items():
        template = template.replace(f"{{{name}}}", str(value))
    return template


def create_type(api: Api, name: str, **fields: Any) -> dict[str, Any]:
    body = {
        "name": name,
        "billing_period": "yearly",
        "term_kind": "rolling",
        "fee": {"amount": "25.00", "valid_from": "2000-01-01"},
        **fields,
    }
    created: dict[str, Any] = api.call("POST", "/memberships/membership-types", json=body)
    return created


def register(
    api: Api, contact_id: str, type_id: str, start: date, end: date | None = None
) -> dict[str, Any]:
    """Enters the membership once the contact has reached the memberships service (422 until
    then: it learns of contacts through their events)."""
    body = {
        "contact_id": contact_id,
        "type_id": type_id,
        "start_date": start.isoformat(),
        "end_date": end.isoformat() if end else None,
    }
    deadline = time.monotonic() + 30
    while True:
        try:
            created: dict[str, Any] = api.call(
                "POST", "/memberships/memberships", json=body, expect_status=201
            )
            return created
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def switch_to_english(page: Page) -> None:
    # Within the header: "Taal" is also part of other labels ("betaalt").
    page.locator("header").get_by_label(NL["shell.language"], exact=True).select_option("en")


def test_a_type_with_a_fee_and_a_later_rate_on_the_timeline(staff_page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    name = f"Senioren {tag}"
    page = staff_page
    page.goto("/membership-types")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["memberships.types.title"])
    check_accessibility(page, "membership-types")

    page.get_by_role("button", name=NL["memberships.types.create"]).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label(NL["memberships.type.name"]).fill(name)
    dialog.get_by_label(NL["memberships.type.termKind"]).select_option("seasonal")
    dialog.get_by_label(NL["memberships.type.periodStartMonth"]).select_option("9")
    dialog.get_by_label(NL["memberships.type.rights"]).fill("website.leden, zaal.fitness")
    dialog.get_by_label(NL["memberships.fee.amount"]).fill("40,00")
    dialog.get_by_label(NL["memberships.fee.validFrom"]).fill("2020-09-01")
    check_accessibility(page, "membership-type-create")
    dialog.get_by_role("button", name=NL["memberships.types.createSubmit"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    type_id = page.url.rsplit("/", 1)[-1]
    saved = api.call("GET", f"/memberships/membership-types/{type_id}")
    assert saved["term_kind"] == "seasonal" and saved["period_start_month"] == 9
    assert saved["rights"] == ["website.leden", "zaal.fitness"]
    timeline = page.get_by_role("list", name=NL["memberships.fee.timeline"])
    expect(timeline.get_by_role("listitem")).to_have_count(1)
    expect(timeline).to_contain_text("40,00")

    # A rate from a date not after the latest is refused: an old rate is never rewritten.
    page.get_by_role("button", name=NL["memberships.fee.add"]).click()
    dialog = page.get_by_role("dialog", name=NL["memberships.fee.add"])
    dialog.get_by_label(NL["memberships.fee.amount"]).fill("45")
    dialog.get_by_label(NL["memberships.fee.validFrom"]).fill("2019-09-01")
    dialog.get_by_role("button", name=NL["memberships.fee.addSubmit"]).click()
    expect(dialog.get_by_role("alert")).to_contain_text(NL["common.problem.conflict"])

    dialog.get_by_label(NL["memberships.fee.validFrom"]).fill("2040-09-01")
    dialog.get_by_role("button", name=NL["memberships.fee.addSubmit"]).click()
    expect(dialog).to_be_hidden()
    items = timeline.get_by_role("listitem")
    expect(items).to_have_count(2)
    # In date order, the one in force today marked, the later one coming.
    expect(items.nth(0)).to_contain_text("40,00")
    expect(items.nth(0)).to_contain_text(NL["memberships.fee.current"])
    expect(items.nth(1)).to_contain_text("45,00")
    expect(items.nth(1)).to_contain_text(NL["memberships.fee.upcoming"])
    fees = api.call("GET", f"/memberships/membership-types/{type_id}")["fee_versions"]
    assert [(f["valid_from"], f["amount"]) for f in fees] == [
        ("2020-09-01", "40.00"),
        ("2040-09-01", "45.00"),
    ]
    check_accessibility(page, "membership-type")

    switch_to_english(page)
    timeline = page.get_by_role("list", name=EN["memberships.fee.timeline"])
    expect(timeline.get_by_role("listitem").nth(0)).to_contain_text(EN["memberships.fee.current"])
    expect(page.get_by_role("heading", name=EN["memberships.fee.heading"])).to_be_visible()
    check_accessibility(page, "membership-type-en")


def test_a_stale_type_edit_shows_both_versions(staff_page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    created = create_type(api, f"Steunend {tag}")
    page = staff_page
    page.goto(f"/membership-types/{created['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Steunend {tag}")
    # Someone else renames it after this page loaded it (unconditionally: no If-Match).
    api.call(
        "PATCH",
        f"/memberships/membership-types/{created['id']}",
        json={"name": f"Sympathisant {tag}"},
    )
    page.get_by_role("button", name=NL["common.edit"]).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label(NL["memberships.type.name"]).fill(f"Steunend lid {tag}")
    dialog.get_by_role("button", name=NL["common.save"]).click()
    alert = dialog.get_by_role("alert")
    expect(alert).to_contain_text(NL["common.problem.stale"])
    conflict = alert.get_by_role("table")
    expect(conflict).to_contain_text(f"Steunend lid {tag}")
    expect(conflict).to_contain_text(f"Sympathisant {tag}")
    check_accessibility(page, "membership-type-conflict")
    assert api.call("GET", f"/memberships/membership-types/{created['id']}")["name"] == (
        f"Sympathisant {tag}"
    )

    # Keeping mine saves it over theirs, with their version.
    dialog.get_by_role("button", name=NL["memberships.conflict.keepMine"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Steunend lid {tag}")
    assert api.call("GET", f"/memberships/membership-types/{created['id']}")["name"] == (
        f"Steunend lid {tag}"
    )


def test_members_on_a_day_by_type_and_the_calendar(staff_page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    type_name = f"Jeugd {tag}"
    youth = create_type(api, type_name)
    people = [api.contact(first, f"Lid{tag}") for first in ("Anke", "Bert", "Cas", "Dina")]
    register(api, people[0]["id"], youth["id"], date(2024, 1, 1))
    register(api, people[1]["id"], youth["id"], date(2024, 1, 1))
    register(api, people[2]["id"], youth["id"], date(2024, 1, 1), date(2024, 6, 30))
    soon = datetime.now(UTC).date() + timedelta(days=10)
    register(api, people[3]["id"], youth["id"], soon)

    page = staff_page
    page.goto("/members?on=2024-03-01")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["memberships.members.title"])
    counts = page.get_by_role("table", name=NL["memberships.members.countsCaption"])
    row = counts.get_by_role("row", name=re.compile(re.escape(type_name)))
    expect(row.get_by_role("cell")).to_have_text("3")
    check_accessibility(page, "members")

    # The type's members on that day, linked to their profiles.
    row.get_by_role("button").click()
    members = page.get_by_role(
        "table", name=re.compile(NL["memberships.members.listHeading"].split("{")[0])
    )
    expect(members.get_by_role("link", name=re.compile(f"Lid{tag}"))).to_have_count(3)
    expect(members.get_by_role("link", name=f"Cas Lid{tag}")).to_have_attribute(
        "href", f"/contacts/{people[2]['id']}"
    )

    # After Cas's end, two.
    page.get_by_label(NL["memberships.members.on"], exact=True).fill("2024-08-01")
    expect(row.get_by_role("cell")).to_have_text("2")
    expect(members.get_by_role("link", name=re.compile(f"Lid{tag}"))).to_have_count(2)
    expect(members.get_by_role("link", name=f"Cas Lid{tag}")).to_have_count(0)

    # Dina starts in ten days: the calendar shows it.
    starts = page.get_by_role("table", name=NL["memberships.calendar.starts"])
    expect(starts.get_by_role("row", name=re.compile(f"Dina Lid{tag}"))).to_contain_text(type_name)

    switch_to_english(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["memberships.members.title"])
    counts = page.get_by_role("table", name=EN["memberships.members.countsCaption"])
    english_row = counts.get_by_role("row", name=re.compile(re.escape(type_name)))
    expect(english_row.get_by_role("cell")).to_have_text("2")
    check_accessibility(page, "members-en")


def test_a_sheet_of_cards_for_a_type(staff_page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    card_type = create_type(api, f"Kaart {tag}")
    holder = api.contact("Kaat", f"Kaarthouder{tag}")
    register(api, holder["id"], card_type["id"], date(2024, 1, 1))

    page = staff_page
    page.goto("/cards")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["memberships.cards.title"])
    page.get_by_label(NL["memberships.field.type"], exact=True).select_option(label=f"Kaart {tag}")
    check_accessibility(page, "member-cards")
    with page.expect_download() as download:
        page.get_by_role("button", name=NL["memberships.cards.print"]).click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    expect(page.get_by_text(text(NL, "memberships.cards.printed", count=1))).to_be_visible()


def card_token(contact_id: str, member_number: str, valid_until: date | None) -> str:
    """A token as a printed card's QR code carries it, signed with the card secret the stack
    gave the memberships service (the service's tests make theirs the same way)."""
    card = MemberCard(
        contact_id=uuid.UUID(contact_id),
        full_name="as printed",
        membership_type="as printed",
        member_number=member_number,
        valid_until=valid_until,
        organisation_name="Kring",
    )
    return sign_card(card, stack_secret(get_profile(), CARD_KEY), issued_at=datetime.now(UTC))


def test_the_card_verify_page_on_a_phone_without_signing_in(page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    card_type = create_type(api, f"Senior {tag}")
    holder = api.contact("Vera", f"Verifieer{tag}")
    membership = register(api, holder["id"], card_type["id"], date(2024, 1, 1))
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"/verify/{card_token(holder['id'], membership['member_number'], None)}")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["memberships.verify.title"])
    result = page.locator(".verify-result")
    expect(result).to_contain_text(NL["memberships.verify.valid"])
    expect(result).to_contain_text(f"Vera Verifieer{tag}")
    expect(result).to_contain_text(f"Senior {tag}")
    expect(result).to_contain_text(membership["member_number"])
    # Nothing of the staff app: no sign-in form, no navigation.
    expect(page.locator("input[type=password]")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_accessibility(page, "card-verify-valid")

    page.get_by_role("button", name="English").click()
    expect(result).to_contain_text(EN["memberships.verify.valid"])
    check_accessibility(page, "card-verify-valid-en")

    expired = card_token(holder["id"], membership["member_number"], date(2024, 12, 31))
    page.goto(f"/verify/{expired}")
    expect(result).to_contain_text(EN["memberships.verify.expired"])
    page.get_by_role("button", name="Nederlands").click()
    expect(result).to_contain_text(NL["memberships.verify.expired"])

    page.goto("/verify/not-a-card-at-all")
    expect(result).to_contain_text(NL["memberships.verify.unknown"])
    expect(result).not_to_contain_text(f"Verifieer{tag}")
    check_accessibility(page, "card-verify-unknown")
