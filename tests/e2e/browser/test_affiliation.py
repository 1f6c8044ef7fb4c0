"""The federation affiliation export in a browser, as the secretary: a profile made on the
screen (columns ticked, one header renamed, a membership type picked), a full export, a name
changed through the API, then the changes since the last export: the history shows both and
the delta's file holds exactly that change. axe and a screenshot of the page."""

import csv
import io
import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from .conftest import Api, check_accessibility, messages
from .seed import eventually, membership_type, text

NL = messages("nl")


def member_number(api: Api, contact_id: str, type_id: str, start: date) -> str:
    """Enters the membership once the contact has reached the memberships service."""
    body = {"contact_id": contact_id, "type_id": type_id, "start_date": start.isoformat()}
    membership = eventually(
        lambda: api.call("POST", "/memberships/memberships", json=body), until=bool
    )
    number: str = membership["member_number"]
    return number


def test_a_profile_a_full_export_and_the_delta_after_a_name_change(
    staff_page: Page, api: Api
) -> None:
    tag = uuid.uuid4().hex[:6]
    club_type = membership_type(api, f"Competitie {tag}")
    start = date.today() - timedelta(days=30)
    stays = api.contact("Ann", f"Aerts{tag}", emails=[f"ann{tag}@example.org"])
    renamed = api.contact("Bart", f"Bosmans{tag}")
    numbers = {
        contact["id"]: member_number(api, contact["id"], club_type["id"], start)
        for contact in (stays, renamed)
    }

    page = staff_page
    page.goto("/affiliation")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["affiliation.title"])
    page.get_by_role("button", name=NL["affiliation.newProfile"]).click()
    form = page.get_by_role("form", name=NL["affiliation.form.new"])
    form.get_by_label(NL["affiliation.form.name"]).fill(f"Sportfederatie {tag}")
    form.get_by_label(NL["affiliation.form.federation"]).fill("Sportfederatie Vlaanderen")
    for column in ("member_number", "last_name", "first_name"):
        form.get_by_label(NL[f"affiliation.column.{column}"], exact=True).check()
    last_name = NL["affiliation.column.last_name"]
    form.get_by_label(text("affiliation.form.headerOf", column=last_name)).fill("Familienaam")
    # The file's order: the last name before the first name.
    form.get_by_role("button", name=text("affiliation.form.up", column=last_name)).click()
    form.get_by_label(club_type["name"], exact=True).check()
    form.get_by_role("button", name=NL["common.save"]).click()
    expect(page).to_have_url(re.compile(r"[?&]profile="))

    export = page.get_by_role(
        "region", name=text("affiliation.export.title", name=f"Sportfederatie {tag}")
    )
    run = export.get_by_role("button", name=NL["affiliation.export.run"])
    run.click()
    done = export.get_by_role("status")
    expect(done).to_have_text(text("affiliation.export.done", number="1", rows="2"))

    api.call("PATCH", f"/contacts/contacts/{renamed['id']}", json={"last_name": f"Claes{tag}"})
    eventually(
        lambda: api.call("GET", f"/memberships/contacts/{renamed['id']}/personal-data"),
        until=lambda data: data["contact"]["last_name"] == f"Claes{tag}",
    )
    export.get_by_label(NL["affiliation.mode.delta"]).check()
    run.click()
    expect(done).to_have_text(text("affiliation.export.done", number="2", rows="1"))

    history = export.locator("table.af-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text(NL["affiliation.history.delta"])
    expect(history.nth(1)).to_contain_text(NL["affiliation.history.full"])
    check_accessibility(page, "affiliation")

    with page.expect_download() as downloading:
        history.nth(0).get_by_role("button", name=NL["affiliation.history.downloadShort"]).click()
    assert downloading.value.suggested_filename.endswith("-2-delta.csv")
    with open(downloading.value.path(), encoding="utf-8", newline="") as file:
        rows = list(csv.reader(io.StringIO(file.read()), delimiter=";"))
    assert rows == [
        ["Lidnummer", "Familienaam", "Voornaam", "change"],
        [numbers[renamed["id"]], f"Claes{tag}", "Bart", "changed"],
    ]
