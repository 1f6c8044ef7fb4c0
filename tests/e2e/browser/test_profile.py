"""The contact profile in a browser: every tab with what the contact has in each, tabs by
keyboard, the phone width, a subscription that follows a group change through the event flow
without a reload, a section of a stopped service shown as unavailable while the rest works,
and sections a role may not read left out."""

import re
import time
import uuid
from typing import Any

from playwright.sync_api import Page, expect

from kring_gateway.roles import Role

from ..conftest import RunningSystem
from .conftest import Api, check_accessibility, messages, sign_in

NL = messages("nl")
# Event flows (contacts → Kafka → memberships/newsletters) on a loaded 2-core machine.
FLOW_TIMEOUT_MS = 20_000


def tab(page: Page, key: str) -> Any:
    return page.get_by_role("tab", name=NL[f"contacts.profile.tabs.{key}"], exact=True)


def heading(page: Page, key: str) -> Any:
    name = NL[f"contacts.profile.{key}.heading"]
    return page.get_by_role("tabpanel").get_by_role("heading", name=name, exact=True)


def retry(call: Any, seconds: float = 20.0) -> Any:
    """A call that succeeds once an event has reached the service that answers it."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return call()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def seed_full_contact(api: Api) -> dict[str, Any]:
    """A contact with something in every tab of the profile."""
    tag = uuid.uuid4().hex[:6]
    contact = api.contact(
        "Marie",
        f"Profiel{tag}",
        emails=[f"marie.{tag}@example.be"],
        phone="+32 470 11 22 33",
        address={"street": "Veldstraat", "number": "3", "postcode": "9000", "city": "Gent"},
        iban="BE71096123456769",
    )
    cid = contact["id"]
    group = api.call("POST", "/contacts/groups", json={"name": f"Bestuur {tag}"})
    api.call("PUT", f"/contacts/groups/{group['id']}/members/{cid}")
    family = api.call("POST", "/contacts/families", json={"name": f"Familie {tag}"})
    api.call("PUT", f"/contacts/families/{family['id']}/members/{cid}", json={"role": "parent"})
    company = api.call("POST", "/contacts/companies", json={"name": f"Bakkerij {tag}"})
    api.call(
        "PUT", f"/contacts/companies/{company['id']}/contacts/{cid}", json={"role": "zaakvoerder"}
    )
    kind = api.call(
        "POST",
        "/memberships/membership-types",
        json={
            "name": f"Volwassene {tag}",
            "billing_period": "yearly",
            "term_kind": "seasonal",
            "fee": {"amount": "45.00", "valid_from": "2020-01-01"},
            "rights": ["facility.gym"],
        },
    )
    today = time.strftime("%Y-%m-%d")
    retry(
        lambda: api.call(
            "POST",
            "/memberships/memberships",
            json={"contact_id": cid, "type_id": kind["id"], "start_date": today},
        )
    )
    resource = api.call(
        "POST", "/contacts/resources", json={"name": f"Sleutel {tag}", "kind": "key"}
    )
    api.call(
        "POST",
        f"/contacts/resources/{resource['id']}/allocations",
        json={"contact_id": cid, "start_date": today, "note": "Kantine"},
    )
    invoice = retry(
        lambda: api.call(
            "POST",
            "/billing/invoices",
            json={"contact_id": cid, "lines": [{"description": "Lidgeld", "unit_price": "45.00"}]},
        )
    )
    issued = api.call("POST", f"/billing/invoices/{invoice['id']}/issue", json={})
    return {
        "contact": contact,
        "group": group["name"],
        "family": family["name"],
        "company": company["name"],
        "type": kind["name"],
        "resource": resource["name"],
        "invoice": issued["number"],
    }


def test_profile_shows_every_tab(page: Page, api: Api) -> None:
    seeded = seed_full_contact(api)
    contact = seeded["contact"]
    sign_in(page, api.login_of(Role.ADMIN))
    page.goto(f"/contacts/{contact['id']}")
    name = f"Marie {contact['last_name']}"
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    # Today's status arrives from the memberships service through its events.
    expect(page.locator(".profile-status .badge")).to_have_text(
        NL["contacts.profile.status.member"], timeout=FLOW_TIMEOUT_MS
    )

    expected = {
        "details": ("details", "BE71096123456769"),
        "groups": ("groups", seeded["group"]),
        "family": ("family", seeded["family"]),
        "companies": ("companies", seeded["company"]),
        "memberships": ("memberships", seeded["type"]),
        "subscriptions": ("subscriptions", NL["contacts.profile.subscriptions.none"]),
        "invoices": ("invoices", seeded["invoice"]),
        "resources": ("resources", seeded["resource"]),
        "history": ("history", NL["contacts.profile.history.changes.linked"]),
    }
    for key, (section, text) in expected.items():
        tab(page, key).click()
        expect(tab(page, key)).to_have_attribute("aria-selected", "true")
        expect(page).to_have_url(re.compile(rf"[?&]tab={key}\b"))
        panel = page.get_by_role("tabpanel")
        if key == "memberships":
            # Who may change memberships gets the memberships feature's panels here.
            for title in (NL["memberships.panel.heading"], NL["memberships.access.heading"]):
                expect(panel.get_by_role("heading", name=title, exact=True)).to_be_visible()
            expect(panel.get_by_text("facility.gym").first).to_be_visible(timeout=FLOW_TIMEOUT_MS)
        else:
            expect(heading(page, section)).to_be_visible()
        expect(panel.get_by_text(text, exact=True).first).to_be_visible()
        if key == "invoices":
            expect(panel.get_by_text(NL["contacts.profile.invoices.openTotal"])).to_be_visible()
        check_accessibility(page, f"profile-{key}")

    # A link to a tab opens that tab.
    page.goto(f"/contacts/{contact['id']}?tab=family")
    expect(tab(page, "family")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel").get_by_text(seeded["family"])).to_be_visible()


def test_tabs_follow_the_arrow_keys(staff_page: Page, api: Api) -> None:
    contact = api.contact("Toets", f"Bord{uuid.uuid4().hex[:6]}")
    page = staff_page
    page.goto(f"/contacts/{contact['id']}")
    tab(page, "details").focus()
    page.keyboard.press("ArrowRight")
    expect(tab(page, "groups")).to_be_focused()
    expect(tab(page, "groups")).to_have_attribute("aria-selected", "true")
    expect(page).to_have_url(re.compile(r"tab=groups"))
    page.keyboard.press("End")
    expect(tab(page, "history")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowRight")
    expect(tab(page, "details")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowLeft")
    expect(tab(page, "history")).to_be_focused()
    expect(heading(page, "history")).to_be_visible()


def test_profile_at_phone_width(staff_page: Page, api: Api) -> None:
    contact = api.contact(
        "Fien",
        f"Smal{uuid.uuid4().hex[:6]}",
        emails=["fien.smal.met.een.lang.adres@example.be"],
        iban="BE71096123456769",
    )
    page = staff_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/contacts/{contact['id']}")
    expect(heading(page, "details")).to_be_visible()
    for key in ("details", "groups", "history"):
        expect(tab(page, key)).to_be_in_viewport()
    # Nothing sticks out sideways: the page does not scroll horizontally at 390 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_accessibility(page, "profile-390")
    tab(page, "groups").click()
    expect(page.get_by_label(NL["contacts.profile.groups.choose"])).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_subscription_follows_a_group_change_without_reload(page: Page, api: Api) -> None:
    """Adding the contact to a group named like a mailing list: contacts → Kafka →
    newsletters, and the subscriptions tab shows it while the person looks at it."""
    name = f"Nieuwsbrief {uuid.uuid4().hex[:6]}"
    api.call("POST", "/contacts/groups", json={"name": name})
    api.call("POST", "/newsletters/lists", json={"name": name})
    contact = api.contact("Lies", f"Lezer{uuid.uuid4().hex[:6]}", emails=["lies@example.be"])
    # Adding to a group (secretary) and reading subscriptions (communications) together: admin.
    sign_in(page, api.login_of(Role.ADMIN))
    page.goto(f"/contacts/{contact['id']}?tab=groups")
    page.evaluate("window.__sameDocument = true")

    page.get_by_label(NL["contacts.profile.groups.choose"]).select_option(label=name)
    page.get_by_role("button", name=NL["contacts.profile.groups.add"], exact=True).click()
    panel = page.get_by_role("tabpanel")
    expect(panel.get_by_role("link", name=name)).to_be_visible()
    expect(panel.get_by_role("status")).to_have_text(
        NL["contacts.profile.groups.added"].replace("{name}", name)
    )

    tab(page, "subscriptions").click()
    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_be_visible(timeout=FLOW_TIMEOUT_MS)
    expect(row).to_contain_text(NL["contacts.profile.subscriptions.active"])
    expect(row).to_contain_text(NL["contacts.profile.subscriptions.viaGroup"])
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"
    check_accessibility(page, "profile-subscriptions-via-group")


def test_sections_a_role_may_not_read_are_left_out(staff_page: Page, api: Api) -> None:
    """A secretary reads neither subscriptions nor invoices: those tabs are not offered."""
    contact = api.contact("Jef", f"Secretaris{uuid.uuid4().hex[:6]}")
    page = staff_page
    page.goto(f"/contacts/{contact['id']}")
    expect(tab(page, "details")).to_be_visible()
    expect(tab(page, "memberships")).to_be_visible()
    expect(tab(page, "subscriptions")).to_have_count(0)
    expect(tab(page, "invoices")).to_have_count(0)
    page.goto(f"/contacts/{contact['id']}?tab=invoices")
    expect(tab(page, "details")).to_have_attribute("aria-selected", "true")


def test_read_only_sees_the_profile_without_edit_controls(page: Page, api: Api) -> None:
    contact = api.contact("Rita", f"Lezer{uuid.uuid4().hex[:6]}")
    group = api.call("POST", "/contacts/groups", json={"name": f"Kijkers {uuid.uuid4().hex[:6]}"})
    api.call("PUT", f"/contacts/groups/{group['id']}/members/{contact['id']}")
    sign_in(page, api.login_of(Role.READ_ONLY))
    page.goto(f"/contacts/{contact['id']}?tab=groups")
    panel = page.get_by_role("tabpanel")
    expect(panel.get_by_role("link", name=group["name"])).to_be_visible()
    expect(tab(page, "invoices")).to_be_visible()
    expect(page.get_by_role("link", name=NL["common.edit"])).to_have_count(0)
    expect(page.get_by_label(NL["contacts.profile.groups.choose"])).to_have_count(0)
    expect(panel.get_by_role("button")).to_have_count(0)


def test_a_stopped_service_leaves_the_rest_of_the_profile(
    page: Page, api: Api, system: RunningSystem
) -> None:
    contact = api.contact("Stan", f"Storing{uuid.uuid4().hex[:6]}", iban="BE71096123456769")
    sign_in(page, api.login_of(Role.ADMIN))
    system.kill("newsletters")
    try:
        page.goto(f"/contacts/{contact['id']}?tab=subscriptions")
        what = NL["contacts.profile.services.newsletters"]
        unavailable = NL["common.unavailable"].replace("{what}", what)
        expect(page.get_by_role("tabpanel").get_by_role("status")).to_have_text(unavailable)
        check_accessibility(page, "profile-unavailable")
        tab(page, "details").click()
        expect(page.get_by_role("tabpanel").get_by_text("BE71096123456769")).to_be_visible()
        tab(page, "groups").click()
        expect(page.get_by_label(NL["contacts.profile.groups.choose"])).to_be_visible()
    finally:
        system.start("newsletters")
