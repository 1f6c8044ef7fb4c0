"""The contact file as a secretary works it in the browser: the quick search in the header
(by a postcode and an IBAN fragment, keyboard only), the contact list with its filters and
columns in the URL, create and edit with the API's field errors, a stale edit from a second
browser meeting the conflict dialog, a name with markup shown as text, what a read-only login
may not see, the phone width and both languages."""

import json
import re
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Dialog, Page, expect

from kring_gateway.roles import Role

from .conftest import Api, check_accessibility, messages, sign_in

NL, EN = messages("nl"), messages("en")
PROFILE_URL = re.compile(r"/contacts/[0-9a-f-]{36}$")


def unique() -> str:
    return uuid.uuid4().hex[:6]


def quick_search(page: Page) -> Any:
    return page.get_by_role("combobox", name=NL["search.label"])


def open_hit_by_keyboard(page: Page, text: str, name: str) -> None:
    """Types `text` in the quick search, arrows down to the hit named `name`, presses Enter."""
    box = quick_search(page)
    box.fill(text)
    # The list answers this very text (not the one before it).
    expect(page.locator(f"[role=listbox][data-query='{text}']")).to_be_visible()
    hit = page.get_by_role("option").filter(has_text=name)
    expect(hit).to_be_visible()
    for _ in range(10):
        box.press("ArrowDown")
        if hit.get_attribute("aria-selected") == "true":
            break
    expect(hit).to_have_attribute("aria-selected", "true")
    box.press("Enter")


def test_quick_search_finds_a_contact_by_postcode_and_by_iban_fragment(
    staff_page: Page, api: Api
) -> None:
    page = staff_page
    last = f"Vermeulen{unique()}"
    contact = api.contact(
        "Wannes",
        last,
        emails=[f"wannes.{last.lower()}@example.be"],
        address={"street": "Kouter", "number": "7", "postcode": "9831", "city": "Deurle"},
        iban="BE68 5390 0754 7034",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["contacts.list.title"])
    check_accessibility(page, "contacts-list")

    box = quick_search(page)
    box.fill("983")
    hit = page.get_by_role("option").filter(has_text=f"Wannes {last}")
    expect(hit).to_contain_text("9831 Deurle")
    expect(hit).to_contain_text(f"wannes.{last.lower()}@example.be")
    expect(hit).to_contain_text(NL["contacts.membership.non_member"])
    check_accessibility(page, "quick-search-open")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(hit).to_be_hidden()
    box.fill("")

    # The profile, once shown, takes the focus to its heading: type again after that.
    open_hit_by_keyboard(page, "983", f"Wannes {last}")
    expect(page).to_have_url(re.compile(f"/contacts/{contact['id']}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(last)

    page.goto("/contacts")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["contacts.list.title"])
    open_hit_by_keyboard(page, "5390 0754", f"Wannes {last}")
    expect(page).to_have_url(re.compile(f"/contacts/{contact['id']}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(last)

    # "Show all results" opens the list filtered by the same text.
    box = quick_search(page)
    box.fill(last)
    page.get_by_role("option", name=re.compile(re.escape(last))).first.wait_for()
    page.get_by_role("option").filter(has_text=NL["search.showAll"].split("{")[0].strip()).click()
    expect(page).to_have_url(re.compile(rf"/contacts\?q={last}$"))
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(2)  # the header and the one contact
    expect(rows.nth(1).get_by_role("link", name=f"Wannes {last}", exact=True)).to_be_visible()
    check_accessibility(page, "contacts-list-filtered")


def test_the_list_keeps_filters_sort_and_columns_in_the_url(staff_page: Page, api: Api) -> None:
    page = staff_page
    town = f"Zele{unique()}"
    for first, postcode in (("Anke", "9240"), ("Bram", "9241"), ("Cas", "9242")):
        api.contact(first, "Lievens", address={"postcode": postcode, "city": town})
    page.goto(f"/contacts?q={town}&sort=postcode&dir=desc&cols=name,postcode,iban")
    table = page.get_by_role("table")
    headers = table.get_by_role("columnheader")
    expect(headers.nth(0)).to_contain_text(NL["contacts.column.name"])
    expect(headers.nth(1)).to_have_attribute("aria-sort", "descending")
    expect(headers.nth(2)).to_have_text(NL["contacts.column.iban"])
    names = table.get_by_role("row").locator("td:first-child")
    expect(names).to_have_text(["Cas Lievens", "Bram Lievens", "Anke Lievens"])

    # Sorting again by postcode turns the order; the URL says so.
    headers.nth(1).get_by_role("button").click()
    expect(page).to_have_url(re.compile("dir=asc"))
    expect(names).to_have_text(["Anke Lievens", "Bram Lievens", "Cas Lievens"])

    # A column chosen in the chooser shows and is kept in the URL.
    page.locator("summary", has_text=NL["contacts.list.columns"]).click()
    # The URL holds the choice, so the box shows it once the navigation is done.
    city = page.get_by_label(NL["contacts.column.city"], exact=True)
    city.click()
    expect(city).to_be_checked()
    expect(page).to_have_url(
        re.compile("cols=name%2Cpostcode%2Ccity%2Ciban|cols=name,postcode,city,iban")
    )
    expect(table.get_by_role("cell", name=town)).to_have_count(3)
    check_accessibility(page, "contacts-list-columns")


def test_an_invalid_iban_shows_at_the_field_and_nothing_changes(staff_page: Page, api: Api) -> None:
    page = staff_page
    contact = api.contact("Lotte", f"Claes{unique()}", iban="BE71 0961 2345 6769")
    page.goto(f"/contacts/{contact['id']}/edit")
    iban = page.get_by_label(NL["contacts.field.iban"], exact=True)
    expect(iban).to_have_value("BE71096123456769")
    iban.fill("BE00 1234 5678")
    page.get_by_label(NL["contacts.field.city"]).fill("Mechelen")
    page.get_by_role("button", name=NL["common.save"]).click()
    expect(iban).to_have_attribute("aria-invalid", "true")
    error = page.locator(".field-error")
    expect(error).to_have_text([NL["contacts.error.iban"]])
    expect(page.get_by_role("alert")).to_have_text(NL["contacts.form.fixFields"])
    expect(iban).to_have_accessible_description(re.compile(re.escape(NL["contacts.error.iban"])))
    expect(page).to_have_url(re.compile(f"/contacts/{contact['id']}/edit$"))
    check_accessibility(page, "contact-edit-invalid-iban")
    now = api.call("GET", f"/contacts/contacts/{contact['id']}")
    assert now["iban"] == "BE71096123456769"
    assert now["address"]["city"] is None
    assert now["version"] == contact["version"]


def test_a_new_contact_is_created_from_the_form(staff_page: Page, api: Api) -> None:
    page = staff_page
    last = f"Wuyts{unique()}"
    page.get_by_role("link", name=NL["contacts.list.new"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["contacts.create.title"])
    page.get_by_label(NL["contacts.field.first_name"]).fill("Fien")
    page.get_by_label(NL["contacts.field.last_name"]).fill(last)
    page.get_by_label(NL["contacts.field.emailN"].replace("{n}", "1")).fill("fien@")
    page.get_by_label(NL["contacts.field.postcode"]).fill("2800")
    page.get_by_role("button", name=NL["common.save"]).click()
    email = page.get_by_label(NL["contacts.field.emailN"].replace("{n}", "1"))
    expect(email).to_have_attribute("aria-invalid", "true")
    check_accessibility(page, "contact-create-invalid")
    email.fill(f"fien.{last.lower()}@example.be")
    page.get_by_role("button", name=NL["common.save"]).click()
    expect(page).to_have_url(PROFILE_URL)
    contact_id = page.url.rsplit("/", 1)[1]
    created = api.call("GET", f"/contacts/contacts/{contact_id}")
    assert (created["first_name"], created["last_name"]) == ("Fien", last)
    assert created["emails"] == [f"fien.{last.lower()}@example.be"]
    assert created["address"]["postcode"] == "2800"


def test_a_stale_edit_from_a_second_browser_shows_the_conflict_dialog(
    staff_page: Page, api: Api, browser: Browser, base_url: str
) -> None:
    page = staff_page
    contact = api.contact("Annelies", f"Smets{unique()}", address={"city": "Lier"})
    page.goto(f"/contacts/{contact['id']}/edit")
    first_name = page.get_by_label(NL["contacts.field.first_name"])
    expect(first_name).to_have_value("Annelies")

    other = browser.new_context(base_url=base_url, locale="nl-BE")
    try:
        second = other.new_page()
        sign_in(second, api.login_of(Role.SECRETARY))
        second.goto(f"/contacts/{contact['id']}/edit")
        second.get_by_label(NL["contacts.field.first_name"]).fill("Beatrijs")
        second.get_by_role("button", name=NL["common.save"]).click()
        expect(second).to_have_url(re.compile(f"/contacts/{contact['id']}$"))
    finally:
        other.close()

    first_name.fill("Anneke")
    page.get_by_role("button", name=NL["common.save"]).click()
    dialog = page.get_by_role("dialog", name=NL["contacts.conflict.title"])
    expect(dialog).to_be_visible()
    row = dialog.get_by_role("row").filter(has_text=NL["contacts.field.first_name"])
    expect(row.get_by_role("cell")).to_have_text(["Anneke", "Beatrijs"])
    check_accessibility(page, "contact-edit-conflict")

    # Take theirs: the form starts again from the current values.
    dialog.get_by_role("button", name=NL["contacts.conflict.takeTheirs"]).click()
    expect(dialog).to_be_hidden()
    expect(first_name).to_have_value("Beatrijs")

    # Changed behind our back once more; this time our value wins, theirs elsewhere stays.
    api.call("PATCH", f"/contacts/contacts/{contact['id']}", json={"address": {"city": "Duffel"}})
    page.get_by_label(NL["contacts.field.first_name"]).fill("Anneke")
    page.get_by_role("button", name=NL["common.save"]).click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(NL["contacts.field.city"])  # theirs only, kept
    dialog.get_by_role("button", name=NL["contacts.conflict.keepMine"]).click()
    expect(page).to_have_url(re.compile(f"/contacts/{contact['id']}$"))
    now = api.call("GET", f"/contacts/contacts/{contact['id']}")
    assert now["first_name"] == "Anneke"
    assert now["address"]["city"] == "Duffel"


def test_a_name_with_markup_is_shown_as_text(staff_page: Page, api: Api) -> None:
    page = staff_page
    alerts: list[Dialog] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog), dialog.dismiss()))
    markup = "<img src=x onerror=alert(1)>"
    last = f"Xss{unique()}"
    contact = api.contact(markup, last)

    page.goto(f"/contacts?q={last}")
    link = page.get_by_role("link", name=f"{markup} {last}", exact=True)
    expect(link).to_have_text(f"{markup} {last}")
    quick_search(page).fill(last)
    expect(page.get_by_role("option").filter(has_text=f"{markup} {last}")).to_be_visible()
    check_accessibility(page, "contacts-markup-name")
    page.goto(f"/contacts/{contact['id']}/edit")
    expect(page.get_by_label(NL["contacts.field.first_name"])).to_have_value(markup)
    expect(page.get_by_role("heading", level=1)).to_contain_text(markup)
    assert page.locator("img[src='x']").count() == 0
    page.wait_for_timeout(300)  # an onerror handler would have run by now
    assert not alerts


def test_read_only_sees_no_edit_controls_and_is_refused_a_direct_edit_url(
    page: Page, api: Api
) -> None:
    contact = api.contact("Rik", f"Peeters{unique()}")
    sign_in(page, api.login_of(Role.READ_ONLY))
    page.goto(f"/contacts?q={contact['last_name']}")
    table = page.get_by_role("table")
    expect(
        table.get_by_role("link", name=f"Rik {contact['last_name']}", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("link", name=NL["contacts.list.new"])).to_have_count(0)
    expect(page.get_by_role("link", name=NL["common.edit"])).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("CSV"))).to_be_visible()
    check_accessibility(page, "contacts-list-read-only")
    for path in (f"/contacts/{contact['id']}/edit", "/contacts/new"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(NL["common.notAllowed.title"])
        expect(page.get_by_role("button", name=NL["common.save"])).to_have_count(0)
    check_accessibility(page, "contact-edit-not-allowed")


def test_search_list_and_forms_at_phone_width(page: Page, api: Api) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    last = f"Goossens{unique()}"
    contact = api.contact("Jolien", last, address={"postcode": "3581", "city": "Beringen"})
    sign_in(page, api.login_of(Role.SECRETARY))
    box = quick_search(page)
    expect(box).to_be_visible()
    box_area = box.bounding_box()
    assert box_area and box_area["x"] >= 0 and box_area["x"] + box_area["width"] <= 390
    expect(page.get_by_role("table").get_by_role("row").nth(1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    check_accessibility(page, "contacts-list-390")
    box.fill(last)
    hit = page.get_by_role("option").filter(has_text=f"Jolien {last}")
    expect(hit).to_be_visible()
    hit_area = hit.bounding_box()
    assert hit_area and hit_area["x"] + hit_area["width"] <= 390
    check_accessibility(page, "quick-search-390")
    open_hit_by_keyboard(page, last, f"Jolien {last}")
    expect(page).to_have_url(re.compile(f"/contacts/{contact['id']}$"))

    for path, name in (
        (f"/contacts/{contact['id']}/edit", "contact-edit-390"),
        ("/contacts/new", "contact-create-390"),
    ):
        page.goto(path)
        field = page.get_by_label(NL["contacts.field.last_name"])
        expect(field).to_be_visible()
        for control in (field, page.get_by_role("button", name=NL["common.save"])):
            area = control.bounding_box()
            assert area and area["x"] + area["width"] <= 390, name
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        check_accessibility(page, name)


def test_contact_pages_in_both_languages(staff_page: Page, api: Api) -> None:
    page = staff_page
    contact = api.contact("Ward", f"Hermans{unique()}")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(NL["contacts.list.title"])
    page.get_by_label(NL["shell.language"], exact=True).select_option("en")
    expect(heading).to_have_text(EN["contacts.list.title"])
    expect(page.get_by_role("combobox", name=EN["search.label"])).to_have_attribute(
        "placeholder", EN["search.placeholder"]
    )
    expect(page.get_by_role("link", name=EN["contacts.list.new"])).to_be_visible()
    check_accessibility(page, "contacts-list-en")
    page.get_by_role("link", name=EN["contacts.list.new"]).click()
    expect(heading).to_have_text(EN["contacts.create.title"])
    expect(page.get_by_role("group", name=EN["contacts.form.address"])).to_be_visible()
    check_accessibility(page, "contact-create-en")
    page.goto(f"/contacts/{contact['id']}/edit")
    expect(heading).to_have_text(
        EN["contacts.edit.title"].replace("{name}", f"Ward {contact['last_name']}")
    )
    expect(page.get_by_label(EN["contacts.field.last_name"])).to_have_value(contact["last_name"])
    check_accessibility(page, "contact-edit-en")
    page.get_by_label(EN["shell.language"], exact=True).select_option("nl")
    expect(heading).to_have_text(
        NL["contacts.edit.title"].replace("{name}", f"Ward {contact['last_name']}")
    )
    check_accessibility(page, "contact-edit-nl")


def test_profile_actions_download_erase_and_delete(staff_page: Page, api: Api) -> None:
    page = staff_page
    kept = api.contact("Greet", f"Aerts{unique()}", emails=["greet.aerts@example.be"])
    page.goto(f"/contacts/{kept['id']}")
    with page.expect_download() as download:
        page.get_by_role("button", name=NL["contacts.actions.personalData"]).click()
    assert download.value.suggested_filename == f"personal-data-{kept['id']}.json"
    bundle = json.loads(Path(download.value.path()).read_text())
    assert bundle["contacts"]["contact"]["emails"] == ["greet.aerts@example.be"]

    page.get_by_role("button", name=NL["contacts.actions.erase"]).click()
    dialog = page.get_by_role("dialog", name=NL["contacts.actions.eraseTitle"])
    confirm = dialog.get_by_role("button", name=NL["contacts.actions.erase"])
    expect(confirm).to_be_disabled()
    word = NL["contacts.actions.eraseWord"]
    dialog.get_by_label(NL["common.typeToConfirm"].replace("{word}", word)).fill(word)
    check_accessibility(page, "contact-erase-confirm")
    confirm.click()
    expect(page).to_have_url(re.compile(r"/contacts$"))
    expect(
        page.get_by_role("status").filter(has_text=NL["contacts.actions.erased"])
    ).to_be_visible()
    erased = api.call("GET", f"/contacts/contacts/{kept['id']}/personal-data")
    assert erased["erased_at"] is not None

    gone = api.contact("Bert", f"Aerts{unique()}")
    page.goto(f"/contacts/{gone['id']}")
    page.get_by_role("button", name=NL["common.delete"]).click()
    dialog = page.get_by_role("dialog", name=NL["contacts.actions.deleteTitle"])
    expect(dialog).to_contain_text(f"Bert {gone['last_name']}")
    dialog.get_by_role("button", name=NL["common.delete"]).click()
    expect(page).to_have_url(re.compile(r"/contacts$"))
    expect(
        page.get_by_role("status").filter(has_text=NL["contacts.actions.deleted"])
    ).to_be_visible()
    api.call("GET", f"/contacts/contacts/{gone['id']}", expect_status=404)
