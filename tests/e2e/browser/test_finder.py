"""Advanced search as a secretary uses it: a filter tree built through the builder (AND, OR,
NOT, a group condition) finds exactly the seeded matches and survives as a link; a search
saved shared is reopened from the list (and its owner alone may change it); the CSV export
holds the matches; all matches, more than a page, go into a group in one action; both
languages, axe on every state."""

import csv
import io
import re
import uuid
from typing import Any

from playwright.sync_api import Browser, Locator, Page, expect

from kring_gateway.roles import Role

from .conftest import Api, check_accessibility, messages, sign_in

NL, EN = messages("nl"), messages("en")


def fill(template: str, **values: object) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def part(page: Page, key: str, place: str, m: dict[str, str] = NL) -> Locator:
    """A condition or group of the builder, by its place ("2.1")."""
    return page.get_by_role("group", name=fill(m[key], place=place), exact=True)


def condition(page: Page, place: str, m: dict[str, str] = NL) -> Locator:
    return part(page, "finder.condition.label", place, m)


def set_text_condition(
    cond: Locator, field: str, op: str, value: str, m: dict[str, str] = NL
) -> None:
    cond.get_by_label(m["finder.condition.subject"], exact=True).select_option(
        label=m[f"finder.field.{field}"]
    )
    cond.get_by_label(m["finder.condition.operator"], exact=True).select_option(
        label=m[f"finder.op.{op}"]
    )
    cond.get_by_label(m["finder.condition.value"], exact=True).fill(value)


def open_finder(page: Page) -> None:
    page.goto("/search")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["shell.nav.finder"])


def search_last_name(page: Page, last: str, m: dict[str, str] = NL) -> None:
    """A one-condition search: last name equals `last`."""
    page.get_by_role("button", name=m["finder.group.addCondition"], exact=True).click()
    set_text_condition(condition(page, "1", m), "last_name", "equals", last, m)
    page.get_by_role("button", name=m["finder.builder.run"], exact=True).click()


def matches(count: int, m: dict[str, str] = NL) -> str:
    return m["finder.results.one"] if count == 1 else fill(m["finder.results.many"], count=count)


def result_names(page: Page) -> list[str]:
    table = page.get_by_role("table", name=NL["finder.results.caption"])
    return sorted(table.locator("tbody tr td:first-child").all_inner_texts())


def seed(api: Api, first: str, last: str, postcode: str) -> dict[str, Any]:
    return api.contact(first, last, address={"postcode": postcode, "city": "Gent", "country": "BE"})


def test_a_tree_with_and_or_not_finds_exactly_the_seeded_matches(
    staff_page: Page, api: Api
) -> None:
    page = staff_page
    last = f"Zoek{uuid.uuid4().hex[:6]}"
    group = api.call("POST", "/contacts/groups", json={"name": f"Kern {last}"})

    def member(contact: dict[str, Any]) -> dict[str, Any]:
        api.call("PUT", f"/contacts/groups/{group['id']}/members/{contact['id']}")
        return contact

    seed(api, "Postcode", last, "9000")  # matches: postcode
    member(seed(api, "Ingroep", last, "2000"))  # neither postcode nor outside the group
    seed(api, "Buiten", last, "2000")  # matches: not in the group
    member(seed(api, "Beide", last, "9000"))  # matches: postcode
    seed(api, "Ander", f"Ver{last[::-1]}", "9000")  # another last name

    open_finder(page)
    check_accessibility(page, "finder-empty")
    page.get_by_role("button", name=NL["finder.group.addCondition"], exact=True).click()
    first = condition(page, "1")
    # Focus follows what was added, so the tree is built from the keyboard.
    expect(first.get_by_label(NL["finder.condition.subject"], exact=True)).to_be_focused()
    set_text_condition(first, "last_name", "contains", last)

    page.get_by_role("button", name=NL["finder.group.addGroup"], exact=True).click()
    either = part(page, "finder.group.label", "2")
    either.get_by_label(NL["finder.group.combine"], exact=True).select_option("or")
    set_text_condition(condition(page, "2.1"), "postcode", "equals", "9000")
    either.get_by_role(
        "button",
        name=fill(
            NL["finder.group.addConditionTo"], name=fill(NL["finder.group.label"], place="2")
        ),
    ).click()
    not_in_group = condition(page, "2.2")
    not_in_group.get_by_label(NL["finder.condition.subject"], exact=True).select_option(
        label=NL["finder.field.group"]
    )
    # Running without a group chosen is refused at the condition.
    page.get_by_role("button", name=NL["finder.builder.run"], exact=True).click()
    expect(not_in_group.get_by_text(NL["finder.problem.groupMissing"])).to_be_visible()
    not_in_group.get_by_label(NL["finder.condition.groups"], exact=True).select_option(
        label=group["name"]
    )
    not_in_group.get_by_label(NL["finder.not"], exact=True).check()
    page.get_by_role("button", name=NL["finder.builder.run"], exact=True).click()

    expect(page.get_by_role("status").filter(has_text=matches(3))).to_be_visible()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(3)
    assert result_names(page) == ["Beide", "Buiten", "Postcode"]
    check_accessibility(page, "finder-results")

    # The link reproduces the search in a new tab: the tree and its results.
    link = page.url
    assert "q=" in link
    tab = page.context.new_page()
    tab.goto(link)
    expect(tab.get_by_role("status").filter(has_text=matches(3))).to_be_visible()
    assert result_names(tab) == ["Beide", "Buiten", "Postcode"]
    restored = condition(tab, "2.2")
    expect(restored.get_by_label(NL["finder.not"], exact=True)).to_be_checked()
    expect(restored.get_by_label(NL["finder.condition.groups"], exact=True)).to_have_values(
        [group["id"]]
    )
    expect(
        condition(tab, "2.1").get_by_label(NL["finder.condition.value"], exact=True)
    ).to_have_value("9000")
    tab.close()

    # A row opens the contact.
    page.get_by_role("link", name="Buiten", exact=True).click()
    expect(page).to_have_url(re.compile(r"/contacts/[0-9a-f-]{36}$"))


def test_a_shared_search_is_saved_reopened_and_changed_by_its_owner_only(
    staff_page: Page, api: Api, browser: Browser, browser_context_args: dict[str, Any]
) -> None:
    page = staff_page
    last = f"Bewaar{uuid.uuid4().hex[:6]}"
    for first in ("Eva", "Jan"):
        seed(api, first, last, "3000")
    name = f"Bestuur {last}"

    open_finder(page)
    search_last_name(page, last)
    expect(page.get_by_role("status").filter(has_text=matches(2))).to_be_visible()
    page.get_by_role("button", name=NL["finder.builder.saveAs"]).click()
    dialog = page.get_by_role("dialog", name=NL["finder.save.title"])
    dialog.get_by_label(NL["finder.saved.name"]).fill(name)
    dialog.get_by_label(NL["finder.save.shared"]).check()
    dialog.get_by_role("button", name=NL["common.save"]).click()
    expect(dialog).to_be_hidden()

    saved_list = page.get_by_role("region", name=NL["finder.saved.title"])
    item = saved_list.get_by_role("listitem").filter(has_text=name)
    expect(item.get_by_text(NL["finder.saved.shared"], exact=True)).to_be_visible()
    stored = [s for s in api.call("GET", "/contacts/saved-searches")["items"] if s["name"] == name]
    assert len(stored) == 1 and stored[0]["shared"] is True

    # Reopened from the list on a fresh page: the builder and the results come back.
    open_finder(page)
    expect(page.get_by_role("region", name=NL["finder.results.title"])).to_have_count(0)
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("status").filter(has_text=matches(2))).to_be_visible()
    expect(
        condition(page, "1").get_by_label(NL["finder.condition.value"], exact=True)
    ).to_have_value(last)
    expect(page.get_by_text(fill(NL["finder.builder.openSaved"], name=name))).to_be_visible()
    check_accessibility(page, "finder-saved")

    # Renamed by its owner.
    renamed = f"{name} (nieuw)"
    item = saved_list.get_by_role("listitem").filter(has_text=name)
    item.get_by_role("button", name=NL["finder.saved.rename"]).click()
    rename = page.get_by_role("dialog", name=fill(NL["finder.saved.renameTitle"], name=name))
    rename.get_by_label(NL["finder.saved.name"]).fill(renamed)
    rename.get_by_role("button", name=NL["common.save"]).click()
    expect(saved_list.get_by_role("link", name=renamed, exact=True)).to_be_visible()

    # A colleague sees the shared search and runs it, but has no controls to change it.
    other = browser.new_page(**browser_context_args)
    try:
        sign_in(other, api.login_of(Role.TREASURER))
        other.goto("/search")
        other_item = (
            other.get_by_role("region", name=NL["finder.saved.title"])
            .get_by_role("listitem")
            .filter(has_text=renamed)
        )
        expect(other_item).to_be_visible()
        expect(other_item.get_by_role("button")).to_have_count(0)
        other_item.get_by_role("link", name=renamed).click()
        expect(other.get_by_role("status").filter(has_text=matches(2))).to_be_visible()
    finally:
        other.close()

    # Unshared, then deleted by its owner.
    item = saved_list.get_by_role("listitem").filter(has_text=renamed)
    item.get_by_role("button", name=NL["finder.saved.unshare"]).click()
    expect(item.get_by_text(NL["finder.saved.private"], exact=True)).to_be_visible()
    item.get_by_role("button", name=NL["common.delete"]).click()
    confirm = page.get_by_role("dialog", name=NL["finder.saved.deleteTitle"])
    confirm.get_by_role("button", name=NL["common.delete"]).click()
    expect(saved_list.get_by_role("link", name=renamed, exact=True)).to_have_count(0)
    assert not [
        s for s in api.call("GET", "/contacts/saved-searches")["items"] if s["name"] == renamed
    ]


def test_the_csv_export_holds_every_match_in_the_chosen_columns(staff_page: Page, api: Api) -> None:
    page = staff_page
    last = f"Export{uuid.uuid4().hex[:6]}"
    seeded = {
        seed(api, first, last, code)["id"]: first
        for first, code in (("Ann", "9000"), ("Bert", "8000"), ("Cas", "1000"))
    }

    open_finder(page)
    search_last_name(page, last)
    expect(page.get_by_role("status").filter(has_text=matches(3))).to_be_visible()
    # Columns: add the id, drop the e-mail addresses.
    page.get_by_text(fill(NL["finder.columns.button"], count=6)).click()
    page.get_by_label(NL["finder.column.id"], exact=True).check()
    page.get_by_label(NL["finder.column.emails"], exact=True).uncheck()
    expect(page.get_by_role("columnheader", name=NL["finder.column.emails"])).to_have_count(0)

    with page.expect_download() as download:
        page.get_by_role("button", name=NL["finder.export.csv"]).click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "first_name",
        "last_name",
        "postcode",
        "city",
        "membership_status",
        "id",
    ]
    assert {row["id"]: row["first_name"] for row in rows} == seeded
    assert {row["postcode"] for row in rows} == {"9000", "8000", "1000"}
    assert all(row["last_name"] == last for row in rows)


def test_all_matches_over_more_than_one_page_go_into_a_group(staff_page: Page, api: Api) -> None:
    page = staff_page
    last = f"Groep{uuid.uuid4().hex[:6]}"
    ids = {seed(api, f"Lid{n:02d}", last, "9000")["id"] for n in range(30)}
    group = api.call("POST", "/contacts/groups", json={"name": f"Alle {last}"})

    open_finder(page)
    search_last_name(page, last)
    expect(page.get_by_role("status").filter(has_text=matches(30))).to_be_visible()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(25)

    bulk = page.get_by_role("region", name=fill(NL["finder.bulk.title"], count=30))
    bulk.get_by_label(NL["finder.bulk.group"], exact=True).select_option(label=group["name"])
    bulk.get_by_role("button", name=fill(NL["finder.bulk.add"], count=30)).click()
    dialog = page.get_by_role("dialog", name=NL["finder.bulk.addTitle"])
    expect(dialog).to_contain_text(
        fill(NL["finder.bulk.addQuestion"], count=30, group=group["name"])
    )
    check_accessibility(page, "finder-bulk-confirm")
    dialog.get_by_role("button", name=fill(NL["finder.bulk.confirmAdd"], count=30)).click()
    # A busy state while it runs, then what happened.
    done = fill(
        NL["finder.bulk.addedResult"], matched=30, changed=30, unchanged=0, group=group["name"]
    )
    expect(bulk.get_by_role("status").filter(has_text=done)).to_be_visible()
    expect(dialog).to_be_hidden()
    members = api.call("GET", f"/contacts/groups/{group['id']}/members", params={"limit": 100})
    assert {m["id"] for m in members["items"]} == ids

    # The second page holds the other five.
    page.get_by_role("button", name=NL["common.table.next"]).click()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(5)
    assert "page=2" in page.url


def test_the_builder_and_results_in_english(page: Page, api: Api) -> None:
    sign_in(page, api.login_of(Role.SECRETARY))
    last = f"Engels{uuid.uuid4().hex[:6]}"
    seed(api, "Olivia", last, "9000")
    page.get_by_label(NL["shell.language"], exact=True).select_option("en")
    page.goto("/search")
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["shell.nav.finder"])
    search_last_name(page, last, EN)
    expect(page.get_by_role("status").filter(has_text=matches(1, EN))).to_be_visible()
    expect(page.get_by_role("button", name=EN["finder.export.csv"])).to_be_visible()
    expect(page.get_by_role("region", name=EN["finder.saved.title"])).to_be_visible()
    body = page.locator("body").inner_text()
    assert not [key for key in EN if key.startswith("finder.") and key in body]
    check_accessibility(page, "finder-en")


# A narrow phone screen keeps the builder usable.
def test_the_builder_at_phone_width(staff_page: Page) -> None:
    page = staff_page
    page.set_viewport_size({"width": 390, "height": 844})
    open_finder(page)
    page.get_by_role("button", name=NL["finder.group.addCondition"], exact=True).click()
    value = condition(page, "1").get_by_label(NL["finder.condition.value"], exact=True)
    expect(value).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width}px"
    check_accessibility(page, "finder-phone")
