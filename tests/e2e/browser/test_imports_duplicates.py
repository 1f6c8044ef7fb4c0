"""The import wizard and the duplicates screen as a secretary meets them: a 500-row CSV with
Dutch headers and three bad rows goes through the suggested mapping, a dry run that names the
bad rows, a live import to done and a download of its errors; a duplicate pair is merged
keeping the second contact's phone, another is dismissed and the dismissal undone. Each step
in Dutch and English, scanned with axe."""

import csv
import io
import re
import uuid
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import Api, check_accessibility, messages

NL, EN = messages("nl"), messages("en")

HEADERS = {
    "Lidnummer": "external_id",
    "Voornaam": "first_name",
    "Familienaam": "last_name",
    "E-mailadres": "email",
    "GSM": "phone",
    "Straat": "street",
    "Huisnummer": "number",
    "Postcode": "postcode",
    "Gemeente": "city",
    "Rekeningnummer": "iban",
    "Geboortedatum": "birth_date",
}
# Data rows (0-based) that make no valid contact; the header is row 1 of the file.
BAD_EMAIL, BAD_IBAN, NO_LAST_NAME = 10, 200, 350
BAD_FILE_ROWS = {BAD_EMAIL + 2, BAD_IBAN + 2, NO_LAST_NAME + 2}


def members_csv(unique: str, count: int = 500) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(list(HEADERS))
    for n in range(count):
        writer.writerow(
            [
                f"{unique}-{n}",
                f"Lid{n}",
                "" if n == NO_LAST_NAME else f"Import{unique}",
                "geen-adres" if n == BAD_EMAIL else f"lid{n}.{unique}@voorbeeld.be",
                "",
                "Kerkstraat",
                str(n + 1),
                "9000",
                "Gent",
                "BE00 1234" if n == BAD_IBAN else ("BE71 0961 2345 6769" if n == 1 else ""),
                # Every birth date its own: a shared one with a similar name is a duplicate.
                f"{date(1950, 1, 1) + timedelta(days=n):%d/%m/%Y}" if n % 2 else "",
            ]
        )
    return buffer.getvalue().encode()


def switch_to_english(page: Page) -> None:
    page.get_by_label(NL["shell.language"], exact=True).select_option("en")


def test_import_500_rows_with_dry_run_progress_and_errors_download(
    staff_page: Page, api: Api, tmp_path: Path
) -> None:
    page = staff_page
    unique = uuid.uuid4().hex[:8]
    # Its own name: the page lists every earlier import, the other tests' too.
    upload = tmp_path / f"leden-{unique}.csv"
    upload.write_bytes(members_csv(unique))

    page.goto("/imports")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["imports.title"])
    check_accessibility(page, "imports-upload-nl")

    # Step 1 → 2: the header row is read in the browser; the mapping is suggested from it.
    page.get_by_label(NL["imports.upload.file"]).set_input_files(str(upload))
    page.get_by_role("button", name=NL["imports.upload.next"]).click()
    expect(page.get_by_role("heading", name=NL["imports.mapping.title"])).to_be_visible()
    for column, field in HEADERS.items():
        expect(page.get_by_label(column, exact=True)).to_have_value(field)
    check_accessibility(page, "imports-mapping-nl")

    # Step 3: the dry run reports exactly the three bad rows, by their number in the file.
    page.get_by_role("button", name=NL["imports.dryRun.start"]).click()
    done = NL["imports.job.dryRunDone"].replace("{total}", "500")
    expect(page.get_by_role("status").filter(has_text=done)).to_be_visible(timeout=60_000)
    report = page.get_by_role("table", name=NL["imports.rows.title"])
    rows = report.locator("tbody tr")
    expect(rows).to_have_count(3)
    numbers = {int(text.split("\t")[0]) for text in rows.all_inner_texts()}
    assert numbers == BAD_FILE_ROWS
    expect(rows.filter(has_text=str(BAD_IBAN + 2))).to_contain_text("iban")
    expect(page.locator(".job-count-bad dd")).to_have_text("3")
    check_accessibility(page, "imports-dry-run-nl")
    assert (
        api.call(
            "POST",
            "/contacts/contacts/query",
            json={"filter": mine(unique), "columns": ["id"], "with_total": True},
        )["total"]
        == 0
    ), "a dry run changes nothing"

    # Step 4: the import runs as a job with a live progress bar, to done.
    page.get_by_role("button", name=NL["imports.run.start"]).click()
    expect(page).to_have_url(re.compile(r"/imports\?job="))
    job_id = page.url.split("job=")[1].split("&")[0]
    progress = page.get_by_role("progressbar", name=NL["imports.job.progress"])
    expect(progress).to_be_visible()
    finished = NL["imports.job.done"].replace("{total}", "500")
    expect(page.get_by_role("status").filter(has_text=finished)).to_be_visible(timeout=120_000)
    expect(progress).to_have_attribute("value", "500")
    check_accessibility(page, "imports-run-nl")

    job = api.call("GET", f"/contacts/contact-imports/{job_id}")
    assert (job["status"], job["dry_run"], job["created"], job["refused"]) == (
        "done",
        False,
        497,
        3,
    )
    found = api.call(
        "POST",
        "/contacts/contacts/query",
        json={"filter": mine(unique), "columns": ["id"], "with_total": True},
    )
    assert found["total"] == 497

    # The refused rows as a CSV file: a header and one line per bad row.
    button = NL["imports.errors.download"].replace("{count}", "3")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=button).click()
    saved = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(saved)))
    assert lines[0] == [NL["imports.rows.row"], NL["imports.rows.reason"]]
    assert len(lines) == 4 and {int(line[0]) for line in lines[1:]} == BAD_FILE_ROWS

    # The same job in English, and the page's start with the job among the earlier imports.
    switch_to_english(page)
    title = EN["imports.job.title"].replace("{file}", upload.name)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check_accessibility(page, "imports-run-en")
    page.get_by_role("link", name=EN["imports.job.newImport"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["imports.title"])
    past = page.get_by_role("table", name=EN["imports.past.title"])
    expect(past.get_by_role("link", name=upload.name)).to_have_count(2)
    expect(page.get_by_role("button", name=EN["imports.export.contactsButton"])).to_be_visible()
    check_accessibility(page, "imports-upload-en")


def mine(unique: str) -> dict[str, str]:
    return {"kind": "text", "field": "last_name", "op": "equals", "value": f"Import{unique}"}


def test_a_duplicate_pair_is_merged_keeping_the_second_phone(staff_page: Page, api: Api) -> None:
    page = staff_page
    last = f"Vandenbroucke{uuid.uuid4().hex[:6]}"
    email = f"mieke.{last.lower()}@example.org"
    first = api.contact("Mieke", last, emails=[email], phone="0470 11 22 33")
    second = api.contact("Mieke", last, emails=[email], phone="0499 88 77 66")
    name = f"Mieke {last}"

    page.goto("/duplicates")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["duplicates.title"])
    pair = page.get_by_role("article", name=NL["duplicates.pairTitle"].format(a=name, b=name))
    expect(pair).to_be_visible(timeout=30_000)
    expect(pair).to_contain_text(NL["duplicates.reason.same_email"])
    expect(pair).to_contain_text(NL["duplicates.score"].format(score=60))
    expect(pair).to_contain_text(first["phone_display"])
    expect(pair).to_contain_text(second["phone_display"])
    check_accessibility(page, "duplicates-nl")

    pair.get_by_role("button", name=NL["duplicates.merge"]).click()
    dialog = page.get_by_role("dialog", name=NL["duplicates.mergeTitle"])
    phone = dialog.get_by_role("radiogroup", name=NL["duplicates.field.phone"])
    # The pair comes smaller id first, so which side is first here is not the seeding order.
    expect(phone.get_by_role("radio")).to_have_count(2)
    phone.get_by_role("radio", name=second["phone_display"]).check()
    expect(phone.get_by_role("radio", name=first["phone_display"])).not_to_be_checked()
    check_accessibility(page, "duplicates-merge-nl")
    dialog.get_by_role("button", name=NL["duplicates.mergeNext"]).click()
    expect(dialog).to_contain_text(second["phone_display"])
    check_accessibility(page, "duplicates-merge-confirm-nl")
    dialog.get_by_role("button", name=NL["duplicates.confirm.yes"]).click()
    expect(page.get_by_role("status").filter(has_text=name)).to_contain_text(
        NL["duplicates.merged"].format(name=name)
    )
    expect(pair).to_have_count(0)

    found = api.call(
        "POST",
        "/contacts/contacts/query",
        json={
            "filter": {"kind": "text", "field": "last_name", "op": "equals", "value": last},
            "columns": ["id", "phone", "emails"],
            "with_total": True,
        },
    )
    assert found["total"] == 1
    assert found["items"][0]["phone"] == second["phone_display"]  # rows show the national form
    assert found["items"][0]["emails"] == [email]


def test_a_pair_dismissed_and_taken_back_in_english(staff_page: Page, api: Api) -> None:
    page = staff_page
    last = f"Claes{uuid.uuid4().hex[:6]}"
    email = f"an.{last.lower()}@example.org"
    api.contact("An", last, emails=[email])
    api.contact("Anna", last, emails=[email])

    page.goto("/duplicates")
    switch_to_english(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["duplicates.title"])
    title = EN["duplicates.pairTitle"].format(a=f"An {last}", b=f"Anna {last}")
    alt_title = EN["duplicates.pairTitle"].format(a=f"Anna {last}", b=f"An {last}")
    pair = page.get_by_role("article").filter(
        has=page.get_by_role(
            "heading", name=re.compile(f"^({re.escape(title)}|{re.escape(alt_title)})$")
        )
    )
    expect(pair).to_be_visible(timeout=30_000)
    check_accessibility(page, "duplicates-en")

    pair.get_by_role("button", name=EN["duplicates.dismiss"]).click()
    expect(pair).to_have_count(0)
    notice = page.get_by_role("status", name=EN["duplicates.dismissedTitle"])
    expect(notice).to_contain_text(last)
    check_accessibility(page, "duplicates-dismissed-en")
    notice.get_by_role("button", name=EN["duplicates.undo"]).click()
    expect(pair).to_be_visible(timeout=30_000)
