"""Letters in a browser, as the secretary: the shipped welcome letter opened in the editor;
an unknown merge field typed in shows as an error with its line at the editor and is refused
on save; fixed, the live preview (page 1 as an image) shows and the change is saved; then
in the advanced search, letters for every match are made as a job whose progress bar runs
to done, and the download is one PDF with a page per match carrying the change."""

import io
import re
import time
import uuid

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kring_gateway.roles import Role

from .conftest import Api, check_accessibility, messages, sign_in
from .test_finder import open_finder, search_last_name

NL = messages("nl")
MATCHES = 3
# Billing learns of new contacts from kring.contacts.v1: this long at most.
READ_MODEL_TIMEOUT_S = 60


def wait_until_billing_knows(api: Api, contact_id: str) -> None:
    """Polls a preview for the contact until billing's read model has it (404 before)."""
    deadline = time.monotonic() + READ_MODEL_TIMEOUT_S
    welcome = next(
        t for t in api.call("GET", "/billing/letters/templates") if t["key"] == "welcome"
    )
    body = {"template_id": welcome["id"], "contact_id": contact_id, "format": "png"}
    while True:
        answer = api.http.post("/api/v1/billing/letters/preview", json=body, headers=api._headers())
        if answer.status_code == 200:
            return
        assert answer.status_code == 404, answer.text
        assert time.monotonic() < deadline, "billing never learnt of the contact"
        time.sleep(0.5)


def test_the_secretary_edits_a_letter_and_makes_it_for_a_search_result(
    page: Page, api: Api
) -> None:
    last = f"Brief{uuid.uuid4().hex[:6]}"
    contacts = [api.contact(f"Lid{n}", last) for n in range(MATCHES)]
    for contact in contacts:
        wait_until_billing_knows(api, contact["id"])
    marker = f"Tot snel {uuid.uuid4().hex[:6]}!"

    sign_in(page, api.login_of(Role.SECRETARY))
    page.goto("/letters")
    page.get_by_role("link", name="Welkomstbrief").click()
    source = page.get_by_label(NL["letters.editor.html"])
    expect(source).to_be_visible()
    original = source.input_value()
    lines = original.count("\n") + 1

    source.fill(original + "\n<p>{{ contact.nickname }}</p>")
    problems = page.get_by_role("alert", name=NL["letters.editor.problems"])
    expect(problems).to_contain_text(f"Regel {lines + 1}: unknown merge field 'contact.nickname'")
    page.get_by_role("button", name=NL["common.save"]).click()
    expect(problems).to_be_visible()
    check_accessibility(page, "letters-editor-unknown-field")

    source.fill(original + f"\n<p>{marker}</p>")
    # The preview is made again once typing pauses (a render takes seconds on a busy machine).
    expect(problems).to_have_count(0, timeout=20_000)
    preview = page.get_by_role("img", name=NL["letters.editor.previewAlt"])
    expect(preview).to_be_visible(timeout=20_000)
    page.get_by_role("button", name=NL["common.save"]).click()
    expect(page.get_by_role("status").filter(has_text=NL["letters.editor.saved"])).to_be_visible()
    check_accessibility(page, "letters-editor-preview")

    open_finder(page)
    search_last_name(page, last)
    letters = page.locator(".letters-generate")
    letters.get_by_label(NL["letters.generate.template"]).select_option(label="Welkomstbrief")
    letters.get_by_role("button", name=f"Brieven maken ({MATCHES})").click()
    expect(letters.get_by_role("status")).to_contain_text(NL["letters.job.done"], timeout=60_000)
    expect(letters.locator("progress")).to_have_attribute("value", str(MATCHES))
    check_accessibility(page, "letters-search-result-job")
    with page.expect_download() as downloading:
        letters.get_by_role("button", name=f"Downloaden ({MATCHES} brieven)").click()
    with open(downloading.value.path(), "rb") as file:
        pdf = PdfReader(io.BytesIO(file.read()))
    assert len(pdf.pages) == MATCHES
    texts = [p.extract_text() for p in pdf.pages]
    assert all(marker in text for text in texts)
    assert sorted(f"Lid{n}" in " ".join(texts) for n in range(MATCHES)) == [True] * MATCHES


def test_the_secretary_copies_a_shipped_letter_and_deletes_the_copy(page: Page, api: Api) -> None:
    sign_in(page, api.login_of(Role.SECRETARY))
    page.goto("/letters")
    page.get_by_role("link", name="Welkomstbrief").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Sjabloon: Welkomstbrief")
    shipped = page.get_by_label(NL["letters.editor.html"]).input_value()
    # A shipped template is edited, never deleted.
    expect(page.get_by_role("button", name=NL["common.delete"], exact=True)).to_have_count(0)

    page.get_by_role("button", name=NL["letters.copy.action"]).click()
    expect(heading).to_have_text("Sjabloon: Kopie van Welkomstbrief")
    copy_url = page.url
    assert "/letters/" in copy_url and not copy_url.endswith("/letters/")
    expect(page.get_by_label(NL["letters.editor.html"])).to_have_value(shipped)
    # Other tests (the generated API inputs) make templates of their own in the same system.
    copy_id = copy_url.rstrip("/").rsplit("/", 1)[1]
    [copied] = [t for t in api.call("GET", "/billing/letters/templates") if t["id"] == copy_id]
    assert copied["name"] == "Kopie van Welkomstbrief" and copied["key"] is None

    page.get_by_role("button", name=NL["common.delete"], exact=True).click()
    confirm = page.get_by_role("dialog", name=NL["letters.delete.title"])
    expect(confirm).to_contain_text("Kopie van Welkomstbrief")
    check_accessibility(page, "letters-copy-delete")
    confirm.get_by_role("button", name=NL["common.delete"], exact=True).click()
    expect(page).to_have_url(re.compile(r"/letters$"))
    expect(page.get_by_role("link", name="Welkomstbrief", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Kopie van Welkomstbrief")).to_have_count(0)
    assert copy_id not in {t["id"] for t in api.call("GET", "/billing/letters/templates")}
