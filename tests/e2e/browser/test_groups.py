"""Groups in a browser: create, rename (and a stale rename), add and remove members, delete,
each checked through the API; the rights a group grants; both languages; read-only sees no
edit controls."""

import re
import time
import uuid

from playwright.sync_api import Page, expect

from kring_gateway.roles import Role

from .conftest import Api, check_accessibility, messages, sign_in

NL = messages("nl")
EN = messages("en")


def group_id_of(page: Page) -> str:
    match = re.search(r"/groups/([0-9a-f-]{36})$", page.url)
    assert match, page.url
    return match.group(1)


def member_ids(api: Api, group_id: str) -> set[str]:
    page = api.call("GET", f"/contacts/groups/{group_id}/members", params={"limit": 500})
    return {member["id"] for member in page["items"]}


def grant(api: Api, group_id: str, right: str, seconds: float = 20.0) -> None:
    """The memberships service learns of a group through its event: grant once it has."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            api.call("PUT", f"/memberships/groups/{group_id}/rights/{right}")
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def remove_label(name: str) -> str:
    """The remove button's name: its visible word and, for screen readers, whom."""
    return f"{NL['common.remove']} {NL['groups.members.removeOne'].replace('{name}', name)}"


def pick_contact(page: Page, label: str, text: str, name: str) -> None:
    picker = page.get_by_role("combobox", name=label)
    picker.fill(text)
    page.get_by_role("option", name=re.compile(re.escape(name))).click()


def test_create_rename_add_and_remove_a_member(staff_page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    contact = api.contact(
        "Griet", f"Groeplid{tag}", address={"postcode": "2000", "city": "Antwerpen"}
    )
    page = staff_page
    page.goto("/groups")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["groups.list.title"])
    check_accessibility(page, "groups-list")

    page.get_by_role("button", name=NL["groups.create.open"]).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label(NL["groups.field.name"]).fill(f"Jeugd {tag}")
    check_accessibility(page, "groups-create")
    dialog.get_by_role("button", name=NL["groups.create.submit"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Jeugd {tag}")
    group_id = group_id_of(page)
    assert api.call("GET", f"/contacts/groups/{group_id}")["name"] == f"Jeugd {tag}"

    # The new group is in the list, and its name opens it.
    page.goto("/groups?size=500")
    page.get_by_role("link", name=f"Jeugd {tag}").click()
    expect(page).to_have_url(re.compile(f"/groups/{group_id}$"))

    page.get_by_role("button", name=NL["groups.rename.open"]).click()
    field = page.get_by_role("dialog").get_by_label(NL["groups.field.name"])
    expect(field).to_have_value(f"Jeugd {tag}")
    field.fill(f"Jeugdwerking {tag}")
    page.get_by_role("dialog").get_by_role("button", name=NL["common.save"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Jeugdwerking {tag}")
    assert api.call("GET", f"/contacts/groups/{group_id}")["name"] == f"Jeugdwerking {tag}"

    pick_contact(page, NL["groups.members.add"], f"Groeplid{tag}", f"Griet Groeplid{tag}")
    table = page.get_by_role("table", name=NL["groups.members.heading"])
    expect(table.get_by_role("link", name=f"Griet Groeplid{tag}")).to_be_visible()
    expect(table).to_contain_text("2000 Antwerpen")
    assert member_ids(api, group_id) == {contact["id"]}
    check_accessibility(page, "groups-page")

    remove = remove_label(f"Griet Groeplid{tag}")
    page.get_by_role("button", name=remove).click()
    expect(table.get_by_role("link", name=f"Griet Groeplid{tag}")).to_have_count(0)
    expect(table).to_contain_text(NL["common.table.empty"])
    assert member_ids(api, group_id) == set()


def test_a_stale_rename_is_refused_and_the_group_reloaded(staff_page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    group = api.call("POST", "/contacts/groups", json={"name": f"Kookclub {tag}"})
    page = staff_page
    page.goto(f"/groups/{group['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kookclub {tag}")
    # Someone else renames it after this page loaded it.
    api.call("PATCH", f"/contacts/groups/{group['id']}", json={"name": f"Bakclub {tag}"})
    page.get_by_role("button", name=NL["groups.rename.open"]).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label(NL["groups.field.name"]).fill(f"Kookploeg {tag}")
    dialog.get_by_role("button", name=NL["common.save"]).click()
    expect(dialog.get_by_role("alert")).to_contain_text(NL["common.problem.stale"])
    expect(dialog).to_contain_text(f"Bakclub {tag}")
    assert api.call("GET", f"/contacts/groups/{group['id']}")["name"] == f"Bakclub {tag}"
    check_accessibility(page, "groups-rename-conflict")

    # Reloaded: saving again now goes through, with the new version.
    dialog.get_by_role("button", name=NL["common.save"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kookploeg {tag}")
    assert api.call("GET", f"/contacts/groups/{group['id']}")["name"] == f"Kookploeg {tag}"


def test_delete_a_group_after_confirming(staff_page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    group = api.call("POST", "/contacts/groups", json={"name": f"Tijdelijk {tag}"})
    page = staff_page
    page.goto(f"/groups/{group['id']}")
    page.get_by_role("button", name=NL["groups.delete.open"]).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Tijdelijk {tag}")
    dialog.get_by_role("button", name=NL["common.cancel"]).click()
    api.call("GET", f"/contacts/groups/{group['id']}")

    page.get_by_role("button", name=NL["groups.delete.open"]).click()
    dialog.get_by_role("button", name=NL["groups.delete.confirm"]).click()
    expect(page).to_have_url(re.compile(r"/groups$"))
    api.call("GET", f"/contacts/groups/{group['id']}", expect_status=404)


def test_group_page_in_both_languages_with_its_rights(staff_page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    group = api.call("POST", "/contacts/groups", json={"name": f"Fitness {tag}"})
    contact = api.contact("Bram", f"Sporter{tag}")
    api.call("PUT", f"/contacts/groups/{group['id']}/members/{contact['id']}")
    grant(api, group["id"], "facility.gym")
    page = staff_page
    page.goto(f"/groups/{group['id']}")
    expect(
        page.get_by_role("heading", name=NL["groups.members.heading"], exact=True)
    ).to_be_visible()
    rights = page.get_by_role("region", name=NL["memberships.groupRights.heading"])
    expect(rights.get_by_text("facility.gym")).to_be_visible()
    expect(page.get_by_role("link", name=f"Bram Sporter{tag}")).to_be_visible()
    check_accessibility(page, "groups-page-nl")

    page.get_by_label(NL["shell.language"], exact=True).select_option("en")
    expect(
        page.get_by_role("heading", name=EN["groups.members.heading"], exact=True)
    ).to_be_visible()
    expect(page.get_by_role("button", name=EN["groups.rename.open"])).to_be_visible()
    expect(page.get_by_role("region", name=EN["memberships.groupRights.heading"])).to_contain_text(
        "facility.gym"
    )
    expect(page.get_by_role("columnheader", name=EN["groups.members.membership"])).to_be_visible()
    check_accessibility(page, "groups-page-en")
    page.get_by_label(EN["shell.language"], exact=True).select_option("nl")

    # At a phone's width the members' table scrolls inside its frame; the page does not.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("button", name=NL["groups.rename.open"])).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_accessibility(page, "groups-page-390")


def test_read_only_sees_no_edit_controls_on_groups(page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    group = api.call("POST", "/contacts/groups", json={"name": f"Archief {tag}"})
    contact = api.contact("Wim", f"Kijker{tag}")
    api.call("PUT", f"/contacts/groups/{group['id']}/members/{contact['id']}")
    sign_in(page, api.login_of(Role.READ_ONLY))
    page.goto("/groups")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["groups.list.title"])
    expect(page.get_by_role("button", name=NL["groups.create.open"])).to_have_count(0)

    page.goto(f"/groups/{group['id']}")
    expect(page.get_by_role("link", name=f"Wim Kijker{tag}")).to_be_visible()
    for control in (NL["groups.rename.open"], NL["groups.delete.open"]):
        expect(page.get_by_role("button", name=control)).to_have_count(0)
    expect(page.get_by_role("combobox", name=NL["groups.members.add"])).to_have_count(0)
    remove = remove_label(f"Wim Kijker{tag}")
    expect(page.get_by_role("button", name=remove)).to_have_count(0)
    expect(
        page.get_by_role("heading", name=NL["memberships.groupRights.heading"], exact=True)
    ).to_be_visible()
    check_accessibility(page, "groups-page-read-only")
