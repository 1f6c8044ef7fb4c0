"""Families, companies and resources in the browser: a family built from two contacts through
the contact picker (and a stale edit resolved from the conflict view), a company with a contract
and a logo previewed then stored, a resource allocated to a contact with its QR code printable.
Each page is scanned by axe and seen in both languages."""

import csv
import io
import re
import uuid
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Locator, Page, expect

from kring_gateway.roles import Role

from ..gateway_api import PASSWORD
from .conftest import SCREENSHOTS, Api, check_accessibility, messages, take_screenshot

NL = messages("nl")
EN = messages("en")


def open_signed_in(page: Page, api: Api, path: str) -> None:
    """Signs in as a secretary on `path` itself: the app opens the page asked for."""
    page.goto(path)
    page.locator("input[type=email]").fill(api.login_of(Role.SECRETARY))
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.locator("input[type=email]")).to_have_count(0)


def to_english(page: Page) -> None:
    page.get_by_label(NL["shell.language"], exact=True).select_option("en")


def pick_contact(scope: Page | Locator, label: str, contact: dict[str, Any]) -> None:
    """Types the contact's last name in a contact picker and chooses the contact."""
    scope.get_by_role("combobox", name=label).fill(contact["last_name"])
    name = f"{contact['first_name']} {contact['last_name']}"
    scope.get_by_role("option", name=re.compile(re.escape(name))).click()


def png_bytes(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), (31, 95, 139))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def natural_width(image: Locator) -> int:
    """The width of the image as decoded, once it is (0 would mean a broken image)."""
    expect(image).to_be_visible()
    image.page.wait_for_function("i => i.complete", arg=image.element_handle())
    width: int = image.evaluate("i => i.naturalWidth")
    return width


def test_family_gets_two_members_through_the_picker(page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    parent = api.contact("Hanne", f"Wouters{tag}")
    child = api.contact("Mats", f"Wouters{tag}x")
    open_signed_in(page, api, "/families")
    expect(page.get_by_role("heading", level=1, name=NL["families.list.title"])).to_be_visible()
    check_accessibility(page, "families-list")

    page.get_by_role("button", name=NL["families.list.create"]).click()
    dialog = page.get_by_role("dialog", name=NL["families.create.title"])
    dialog.get_by_label(NL["families.field.name"]).fill(f"Gezin Wouters {tag}")
    dialog.get_by_label(NL["common.address.postcode"]).fill("3000")
    dialog.get_by_label(NL["common.address.city"]).fill("Leuven")
    dialog.get_by_role("button", name=NL["common.save"]).click()
    expect(page.get_by_role("heading", level=1, name=f"Gezin Wouters {tag}")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/families/[0-9a-f-]{36}$"))
    family_id = page.url.rsplit("/", 1)[1]

    members = page.get_by_role("region", name=NL["families.members.title"])
    for contact, role in ((parent, "parent"), (child, "child")):
        members.get_by_label(NL["families.members.role"], exact=True).select_option(role)
        pick_contact(members, NL["common.contact.find"], contact)
        members.get_by_role("button", name=NL["families.members.addButton"]).click()
        name = f"{contact['first_name']} {contact['last_name']}"
        link = members.get_by_role("link", name=name, exact=True)
        expect(link).to_have_attribute("href", f"/contacts/{contact['id']}")
    expect(members.get_by_role("row")).to_have_count(3)
    expect(members.get_by_label(f"Rol van Mats Wouters{tag}x")).to_have_value("child")

    family = api.call("GET", f"/contacts/families/{family_id}")
    assert {(m["contact_id"], m["role"]) for m in family["members"]} == {
        (parent["id"], "parent"),
        (child["id"], "child"),
    }
    assert family["address"]["city"] == "Leuven"
    check_accessibility(page, "family-page")

    # Someone else renames the family while this page shows the old name: the save is refused
    # (412) and both names are shown; keeping mine saves it over theirs.
    api.call("PATCH", f"/contacts/families/{family_id}", json={"name": f"Familie W {tag}"})
    page.get_by_role("button", name=NL["common.edit"]).click()
    dialog = page.get_by_role("dialog", name=NL["families.edit.title"])
    dialog.get_by_label(NL["families.field.name"]).fill(f"Gezin Wouters-Peeters {tag}")
    dialog.get_by_role("button", name=NL["common.save"]).click()
    conflict = dialog.get_by_role("alert").filter(has_text=NL["common.stale.title"])
    expect(conflict).to_be_visible()
    expect(conflict.get_by_role("cell", name=f"Familie W {tag}")).to_be_visible()
    expect(conflict.get_by_role("cell", name=f"Gezin Wouters-Peeters {tag}")).to_be_visible()
    check_accessibility(page, "family-conflict")
    conflict.get_by_role("button", name=NL["common.stale.keepMine"]).click()
    mine = f"Gezin Wouters-Peeters {tag}"
    expect(page.get_by_role("heading", level=1, name=mine)).to_be_visible()
    assert api.call("GET", f"/contacts/families/{family_id}")["name"] == mine

    # The export (through the session, as a download) holds the family, one line per member.
    page.get_by_role("link", name=NL["families.page.back"]).click()
    with page.expect_download() as download:
        page.get_by_role("button", name=NL["families.list.export"]).click()
    rows = csv.DictReader(io.StringIO(Path(download.value.path()).read_text()))
    exported = {(r["contact_id"], r["role"]) for r in rows if r["family_name"] == mine}
    assert exported == {(parent["id"], "parent"), (child["id"], "child")}
    page.go_back()

    to_english(page)
    members = page.get_by_role("region", name=EN["families.members.title"])
    expect(members.get_by_role("heading", name=EN["families.members.title"])).to_be_visible()
    expect(members.get_by_label(f"Role of Mats Wouters{tag}x")).to_have_value("child")
    check_accessibility(page, "family-page-en")


def test_company_with_a_contract_and_a_logo(page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    manager = api.contact("Sofie", f"Claes{tag}")
    open_signed_in(page, api, "/companies")
    check_accessibility(page, "companies-list")
    page.get_by_role("button", name=NL["companies.list.create"]).click()
    dialog = page.get_by_role("dialog", name=NL["companies.create.title"])
    dialog.get_by_label(NL["companies.field.name"]).fill(f"Brouwerij {tag}")
    dialog.get_by_role("button", name=NL["common.save"]).click()
    expect(page.get_by_role("heading", level=1, name=f"Brouwerij {tag}")).to_be_visible()
    company_id = page.url.rsplit("/", 1)[1]

    contracts = page.get_by_role("region", name=NL["companies.contracts.title"])
    contracts.get_by_role("button", name=NL["companies.contracts.add"]).click()
    dialog = page.get_by_role("dialog", name=NL["companies.contracts.addTitle"])
    dialog.get_by_label(NL["companies.contracts.status"]).select_option("active")
    dialog.get_by_label(NL["companies.contracts.start"]).fill("2026-01-01")
    dialog.get_by_label(NL["companies.contracts.endDate"]).fill("2026-12-31")
    dialog.get_by_label(NL["companies.contracts.amount"]).fill("1250,50")
    dialog.get_by_role("button", name=NL["common.save"]).click()
    expect(dialog).to_be_hidden()
    row = contracts.get_by_role("row").filter(has_text=NL["companies.kind.sponsorship"])
    expect(row).to_contain_text(re.compile(r"€\s?1\.250,50"))
    expect(row).to_contain_text(NL["companies.status.active"])
    (contract,) = api.call("GET", f"/contacts/companies/{company_id}")["contracts"]
    assert (contract["amount"], contract["status"], contract["end_date"]) == (
        "1250.50",
        "active",
        "2026-12-31",
    )

    linked = page.get_by_role("region", name=NL["companies.contacts.title"])
    pick_contact(linked, NL["common.contact.find"], manager)
    role = linked.get_by_role("textbox", name=NL["companies.contacts.role"], exact=True)
    role.fill("zaakvoerder")
    linked.get_by_role("button", name=NL["companies.contacts.addButton"]).click()
    expect(linked.get_by_role("row").filter(has_text=f"Sofie Claes{tag}")).to_contain_text(
        "zaakvoerder"
    )

    # The chosen file is previewed before anything is sent, then the stored logo is shown.
    logo = page.get_by_role("region", name=NL["companies.logo.title"])
    logo.get_by_label(NL["companies.logo.choose"]).set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": png_bytes(40, 20)}
    )
    preview = logo.get_by_role("img", name="Voorbeeld van logo.png")
    assert natural_width(preview) == 40
    assert api.call("GET", f"/contacts/companies/{company_id}")["logo"] is None
    logo.get_by_role("button", name=NL["companies.logo.upload"]).click()
    stored = logo.get_by_role("img", name=f"Logo van Brouwerij {tag}")
    assert natural_width(stored) == 40
    expect(preview).to_have_count(0)
    assert (stored.get_attribute("src") or "").startswith("blob:")
    stored_logo = api.call("GET", f"/contacts/companies/{company_id}")["logo"]
    assert stored_logo["content_type"] == "image/png"
    check_accessibility(page, "company-page")

    to_english(page)
    contracts = page.get_by_role("region", name=EN["companies.contracts.title"])
    expect(page.get_by_role("img", name=f"Logo of Brouwerij {tag}")).to_be_visible()
    expect(contracts.get_by_role("row").nth(1)).to_contain_text(re.compile(r"€\s?1,250\.50"))
    check_accessibility(page, "company-page-en")


def test_resource_allocated_with_a_printable_qr_code(page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    holder = api.contact("Jonas", f"Maes{tag}")
    open_signed_in(page, api, "/resources")
    check_accessibility(page, "resources-list")
    page.get_by_role("button", name=NL["resources.list.create"]).click()
    dialog = page.get_by_role("dialog", name=NL["resources.create.title"])
    dialog.get_by_label(NL["resources.field.name"]).fill(f"Kluisje {tag}")
    dialog.get_by_label(NL["resources.field.kind"]).select_option("locker")
    dialog.get_by_label(NL["resources.field.code"]).fill(f"K-{tag}")
    dialog.get_by_role("button", name=NL["common.save"]).click()
    expect(page.get_by_role("heading", level=1, name=f"Kluisje {tag}")).to_be_visible()
    resource_id = page.url.rsplit("/", 1)[1]

    qr = page.get_by_role("img", name=f"QR-code van Kluisje {tag}")
    assert natural_width(qr) > 0

    allocations = page.get_by_role("region", name=NL["resources.allocations.title"])
    allocations.get_by_role("button", name=NL["resources.allocations.add"]).click()
    dialog = page.get_by_role("dialog", name=NL["resources.allocations.addTitle"])
    pick_contact(dialog, NL["common.contact.find"], holder)
    dialog.get_by_label(NL["resources.allocations.note"]).fill("Seizoen 2026-2027")
    dialog.get_by_role("button", name=NL["common.save"]).click()
    expect(dialog).to_be_hidden()
    row = allocations.get_by_role("row").filter(has_text=f"Jonas Maes{tag}")
    expect(row).to_contain_text(NL["resources.state.current"])
    expect(row.get_by_role("link", name=f"Jonas Maes{tag}")).to_have_attribute(
        "href", f"/contacts/{holder['id']}"
    )
    (allocation,) = api.call("GET", f"/contacts/resources/{resource_id}/allocations")["items"]
    assert (allocation["contact_id"], allocation["end_date"]) == (holder["id"], None)
    check_accessibility(page, "resource-page")

    # Print: the button asks the browser to print, and on paper only the name and code remain.
    page.evaluate("() => { window.__printed = 0; window.print = () => window.__printed++; }")
    page.get_by_role("button", name=NL["resources.qr.print"]).click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    expect(page.locator(".app-header")).to_be_hidden()
    expect(page.locator(".app-nav")).to_be_hidden()
    expect(allocations).to_be_hidden()
    expect(page.get_by_role("button", name=NL["resources.qr.print"])).to_be_hidden()
    expect(page.get_by_role("heading", level=1, name=f"Kluisje {tag}")).to_be_visible()
    expect(qr).to_be_visible()
    take_screenshot(page, str(SCREENSHOTS / "resource-print.png"))
    page.emulate_media(media="screen")

    to_english(page)
    expect(page.get_by_role("img", name=f"QR code of Kluisje {tag}")).to_be_visible()
    allocations = page.get_by_role("region", name=EN["resources.allocations.title"])
    row = allocations.get_by_role("row").filter(has_text=f"Jonas Maes{tag}")
    expect(row).to_contain_text(EN["resources.state.current"])
    check_accessibility(page, "resource-page-en")
