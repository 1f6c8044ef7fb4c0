"""Billing in a browser, as the treasurer: a contribution run (dry run, then the run whose
progress bar moves to done, then its invoices); a payment registered with a double click
books once (the app sends one Idempotency-Key per dialog opening); a credit note; the
invoice's PDF; SEPA mandates and a collection's pain.008 file; the invoice list in Dutch and
English; axe on every page."""

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from playwright.sync_api import Page, Request, expect

from kring_billing.contribution_runs.periods import yearly_period
from kring_gateway.roles import Role

from .conftest import Api, check_accessibility, messages, sign_in
from .seed import eventually, membership_type, text

NL = messages("nl")
EN = messages("en")
FEE = Decimal("90.00")


def euro(amount: Decimal) -> str:
    """Money as nl-BE shows it: € 270,00 (with a no-break space)."""
    whole, cents = f"{amount:.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"€\u00a0{grouped},{cents}"


def treasurer(page: Page, api: Api) -> None:
    sign_in(page, api.login_of(Role.TREASURER))


def billed_type(api: Api, name: str) -> str:
    """A yearly type (seasons from 1 September) with a fee, through the memberships API."""
    return str(membership_type(api, name, fee=str(FEE))["id"])


def member(api: Api, first: str, last: str, type_id: str, start: date) -> str:
    """A contact with a membership, once the contact has reached memberships (422 until then)."""
    contact_id = str(api.contact(first, last)["id"])
    body = {"contact_id": contact_id, "type_id": type_id, "start_date": start.isoformat()}
    eventually(lambda: api.call("POST", "/memberships/memberships", json=body), until=bool)
    return contact_id


def issued_invoice(api: Api, contact_id: str, *lines: dict[str, str]) -> dict[str, Any]:
    """An issued invoice, once the contact has reached billing (404 until then)."""
    body = {
        "contact_id": contact_id,
        "lines": list(lines) or [{"description": "Clubtrui", "unit_price": "45.00"}],
    }
    draft = eventually(lambda: api.call("POST", "/billing/invoices", json=body), until=bool)
    issued: dict[str, Any] = api.call("POST", f"/billing/invoices/{draft['id']}/issue")
    return issued


def test_a_contribution_run_dry_run_then_run_to_done(page: Page, api: Api) -> None:
    tag = uuid.uuid4().hex[:6]
    season = yearly_period(date.today(), 9, 1)
    type_name = f"Senioren {tag}"
    type_id = billed_type(api, type_name)
    members = [member(api, name, f"Ronde{tag}", type_id, season.start) for name in "ABC"]
    # The contacts, the type and the memberships reach billing through the topics.
    dry = {"period_day": season.start.isoformat(), "type_ids": [type_id], "dry_run": True}
    eventually(
        lambda: api.call("POST", "/billing/contribution-runs", json=dry),
        until=lambda preview: preview["invoices"] == len(members),
    )

    treasurer(page, api)
    page.goto("/contribution-runs")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["billing.runs.title"])
    page.get_by_label(NL["billing.run.periodDay"]).fill(season.start.isoformat())
    # The treasurer may not list membership types: a dry run over all types offers them.
    page.get_by_role("button", name=NL["billing.run.dryRun"], exact=True).click()
    page.get_by_role("checkbox", name=type_name).check()
    start = page.get_by_role("button", name=NL["billing.run.start"])
    expect(start).to_be_disabled()  # the inputs changed since the dry run
    page.get_by_role("button", name=NL["billing.run.dryRun"], exact=True).click()
    summary = text("billing.preview.summary", count="3", total=euro(FEE * 3))
    expect(page.locator(".preview-summary")).to_have_text(summary)
    expect(page.get_by_role("row", name=re.compile(type_name))).to_contain_text(euro(FEE))
    check_accessibility(page, "billing-run-dry-run")

    start.click()
    expect(page).to_have_url(re.compile(r"/contribution-runs/[0-9a-f-]{36}$"))
    bar = page.locator(".run-progress progress")
    expect(bar).to_be_visible()
    done = text("billing.run.done", count="3")
    expect(page.get_by_role("status").filter(has_text=done)).to_be_visible(timeout=60_000)
    assert bar.evaluate("bar => bar.value === bar.max && bar.max > 0")
    expect(page.locator(".run-progress .badge")).to_have_text(NL["billing.runStatus.completed"])
    check_accessibility(page, "billing-run-done")

    page.get_by_role("link", name=NL["billing.run.showInvoices"]).click()
    expect(page).to_have_url(re.compile(r"/invoices\?run="))
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    for row in rows.all():
        expect(row).to_contain_text(f"Ronde{tag}")
        expect(row).to_contain_text(NL["billing.status.issued"])
    run_id = page.url.split("run=")[1].split("&")[0]
    invoices = api.call("GET", "/billing/invoices", params={"run_id": run_id})
    assert {invoice["contact_id"] for invoice in invoices["items"]} == set(members)


def test_a_double_clicked_payment_books_once(page: Page, api: Api) -> None:
    contact = api.contact("Dirk", f"Dubbel{uuid.uuid4().hex[:6]}")
    invoice = issued_invoice(api, contact["id"])
    keys: list[str | None] = []

    def note_payment(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/payments"):
            keys.append(request.headers.get("idempotency-key"))

    page.on("request", note_payment)
    treasurer(page, api)
    page.goto(f"/invoices/{invoice['id']}")
    title = text("billing.invoice.numberTitle", number=invoice["number"])
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check_accessibility(page, "billing-invoice")

    page.get_by_role("button", name=NL["billing.action.pay"]).click()
    dialog = page.get_by_role("dialog", name=NL["billing.payment.title"])
    dialog.get_by_label(NL["billing.payment.amount"]).fill("20,00")
    dialog.get_by_label(NL["billing.payment.method"]).select_option("cash")
    check_accessibility(page, "billing-payment-dialog")
    dialog.get_by_role("button", name=NL["billing.payment.submit"]).dblclick()
    expect(page.get_by_role("status").filter(has_text=NL["billing.notice.paid"])).to_be_visible()

    payments = page.get_by_role("table", name=NL["billing.payments.title"])
    expect(payments.locator("tbody tr")).to_have_count(1)
    expect(payments).to_contain_text(NL["billing.method.cash"])
    after = api.call("GET", f"/billing/invoices/{invoice['id']}")
    assert len(after["payments"]) == 1
    assert Decimal(after["paid_amount"]) == Decimal("20.00")
    assert after["status"] == "partly_paid"
    # Every request the double click sent carried the one key of this dialog's opening.
    assert keys and len(set(keys)) == 1 and keys[0], keys

    # A second opening is a new action with a new key: it books again.
    page.get_by_role("button", name=NL["billing.action.pay"]).click()
    dialog.get_by_label(NL["billing.payment.amount"]).fill("25")
    dialog.get_by_role("button", name=NL["billing.payment.submit"]).click()
    expect(payments.locator("tbody tr")).to_have_count(2)
    assert len(set(keys)) == 2
    assert api.call("GET", f"/billing/invoices/{invoice['id']}")["status"] == "paid"


def test_a_credit_note_and_the_pdf(page: Page, api: Api) -> None:
    contact = api.contact("Els", f"Credit{uuid.uuid4().hex[:6]}")
    invoice = issued_invoice(
        api, contact["id"], {"description": "Stage", "unit_price": "120.00", "vat_rate": "0"}
    )
    treasurer(page, api)
    page.goto(f"/invoices/{invoice['id']}")

    with page.expect_download() as downloading:
        page.get_by_role("button", name=NL["billing.action.pdf"]).click()
    pdf = downloading.value
    assert pdf.suggested_filename.endswith(f"{invoice['number']}.pdf")
    with open(pdf.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"

    page.get_by_role("button", name=NL["billing.action.credit"]).click()
    dialog = page.get_by_role("dialog", name=NL["billing.credit.title"])
    dialog.get_by_label(NL["billing.credit.reason"]).fill("Een dag niet aanwezig")
    dialog.get_by_label(NL["billing.credit.part"]).check()
    dialog.get_by_label(NL["billing.line.description"]).fill("Eén dag")
    dialog.get_by_label(NL["billing.credit.amount"]).fill("24")
    check_accessibility(page, "billing-credit-dialog")
    dialog.get_by_role("button", name=NL["billing.credit.submit"]).click()
    heading = page.get_by_role("heading", name=NL["billing.credits.title"])
    credits = page.locator("section.card", has=heading)
    expect(credits.get_by_role("link")).to_contain_text(euro(Decimal("24.00")))
    after = api.call("GET", f"/billing/invoices/{invoice['id']}")
    assert len(after["credit_note_ids"]) == 1
    assert Decimal(after["open_amount"]) == Decimal("96.00")
    note = api.call("GET", f"/billing/invoices/{after['credit_note_ids'][0]}")
    expect(page.locator(".alert-success")).to_have_text(
        text("billing.notice.credited", number=note["number"])
    )

    credits.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        text("billing.invoice.creditNoteTitle", number=note["number"])
    )
    expect(page.get_by_role("button", name=NL["billing.action.pay"])).to_have_count(0)
    check_accessibility(page, "billing-credit-note")


def test_a_mandate_and_a_collection_file(page: Page, api: Api) -> None:
    last = f"Domi{uuid.uuid4().hex[:6]}"
    contact = api.contact("Fien", last)
    invoice = issued_invoice(api, contact["id"])
    # Without a mandate: the collection leaves it out, and says why in the screen's language.
    unmandated = issued_invoice(api, api.contact("Jef", f"Zonder{uuid.uuid4().hex[:6]}")["id"])
    treasurer(page, api)
    page.goto("/sepa")
    expect(page.get_by_role("heading", level=1)).to_have_text(NL["billing.sepa.title"])
    picker = page.get_by_role("combobox", name=NL["billing.mandate.contact"])
    picker.fill(last)
    page.get_by_role("option", name=re.compile(last)).click()
    page.get_by_role("button", name=NL["billing.mandate.add"]).click()
    dialog = page.get_by_role("dialog", name=NL["billing.mandate.addTitle"])
    dialog.get_by_label(NL["billing.mandate.iban"]).fill("BE12 3456")
    dialog.get_by_role("button", name=NL["billing.mandate.submit"]).click()
    expect(dialog.locator(".field-error")).to_be_visible()  # refused at the field
    dialog.get_by_label(NL["billing.mandate.iban"]).fill("BE68 5390 0754 7034")
    dialog.get_by_role("button", name=NL["billing.mandate.submit"]).click()
    mandates = page.get_by_role("table", name=NL["billing.mandate.title"])
    expect(mandates.locator("tbody tr")).to_have_count(1)
    expect(mandates).to_contain_text("FRST")
    expect(mandates).to_contain_text(NL["billing.mandate.active"])

    page.get_by_label(NL["billing.collection.date"]).fill(
        (date.today() + timedelta(days=5)).isoformat()
    )
    page.get_by_role("button", name=NL["billing.collection.make"]).click()
    # Making the collection file is long work; on a busy machine it outlasts the 5 s default.
    # The collection takes every open invoice with a mandate, those of earlier tests too: the
    # table shows a page of them, and the find field (shown with the result) picks out this one.
    finder = page.get_by_label(NL["billing.collection.find"])
    expect(finder).to_be_visible(timeout=30_000)
    finder.fill(invoice["number"])
    included = page.get_by_role("table", name=NL["billing.collection.included"])
    expect(included.locator("tbody tr")).to_have_count(1)
    expect(included.get_by_role("row", name=re.compile(invoice["number"]))).to_contain_text("FRST")
    finder.fill(unmandated["number"])
    skipped = page.get_by_role("table", name=NL["billing.collection.skipped"])
    expect(skipped.get_by_role("row", name=re.compile(unmandated["number"]))).to_contain_text(
        NL["billing.collectionSkip.no_active_mandate"]
    )
    expect(included.locator("tbody")).to_have_text(NL["common.table.empty"])
    finder.fill(invoice["number"])
    check_accessibility(page, "billing-sepa")
    with page.expect_download() as downloading:
        page.get_by_role("button", name=NL["billing.collection.download"]).click()
    with open(downloading.value.path(), "rb") as file:
        pain = file.read().decode()
    assert "pain.008" in pain and invoice["number"] in pain

    [mandate] = api.call("GET", f"/billing/contacts/{contact['id']}/mandates")
    revoke_one = text("billing.mandate.revokeOne", reference=mandate["reference"])
    page.get_by_role("button", name=revoke_one).click()
    confirm = page.get_by_role("dialog", name=NL["billing.mandate.revokeTitle"])
    confirm.get_by_role("button", name=NL["billing.mandate.revoke"], exact=True).click()
    expect(mandates.locator(".badge-danger")).to_be_visible()
    [revoked] = api.call("GET", f"/billing/contacts/{contact['id']}/mandates")
    assert revoked["status"] == "revoked"


def test_the_invoice_list_in_both_languages(page: Page, api: Api) -> None:
    last = f"Talen{uuid.uuid4().hex[:6]}"
    contact = api.contact("Gert", last)
    open_one = issued_invoice(api, contact["id"])
    paid = issued_invoice(api, contact["id"])
    api.call(
        "POST",
        f"/billing/invoices/{paid['id']}/payments",
        json={"amount": paid["total"], "paid_on": date.today().isoformat()},
    )
    treasurer(page, api)
    page.goto(f"/invoices?contact={contact['id']}&contactName=Gert+{last}")
    for language, catalog in (("nl", NL), ("en", EN)):
        if language == "en":
            page.get_by_label(NL["shell.language"], exact=True).select_option("en")
        expect(page.get_by_role("heading", level=1)).to_have_text(catalog["billing.list.title"])
        rows = page.locator("tbody tr")
        expect(rows).to_have_count(2)
        expect(page.get_by_role("row", name=re.compile(open_one["number"]))).to_contain_text(
            catalog["billing.status.issued"]
        )
        expect(page.get_by_role("row", name=re.compile(paid["number"]))).to_contain_text(
            catalog["billing.status.paid"]
        )
        body = page.locator("body").inner_text()
        untranslated = [key for key in catalog if key.startswith("billing.") and key in body]
        assert not untranslated, untranslated
        check_accessibility(page, f"billing-invoices-{language}")

    # The open filter keeps only the open one, and the URL reproduces the view.
    page.get_by_label(EN["billing.filter.status"]).select_option("open")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"status=open"))
    page.reload()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text(open_one["number"])
