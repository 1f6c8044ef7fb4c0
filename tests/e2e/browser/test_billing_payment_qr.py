"""Paying by banking app in a browser, as the treasurer: the organisation's payment reference
switched to the Belgian structured communication on the SEPA page; the invoice then shows
that reference and the EPC QR code of the open amount (the code on screen is decoded with
zxing-cpp), and so does its PDF; switched back to RF, the invoice follows."""

import io
import re
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kring_billing.documents import creditor_reference
from kring_billing.documents.payment_reference import belgian_structured_communication
from kring_gateway.roles import Role

from .conftest import Api, check_accessibility, messages, sign_in
from .test_billing import issued_invoice

NL = messages("nl")


@pytest.fixture
def rf_afterwards(api: Api) -> Iterator[None]:
    """Other tests of the run expect the default RF references back."""
    yield
    api.call("PATCH", "/billing/organisation", json={"payment_reference_scheme": "rf"})


def choose_scheme(page: Page, label_key: str) -> None:
    page.goto("/sepa")
    section = page.locator(
        "section.card", has=page.get_by_role("heading", name=NL["billing.scheme.title"])
    )
    section.get_by_label(NL[label_key]).check()
    section.get_by_role("button", name=NL["billing.scheme.save"]).click()
    expect(section.get_by_role("status")).to_have_text(NL["billing.scheme.saved"])


def qr_payload_on_screen(page: Page) -> list[str]:
    """The EPC payload's lines of the QR code the invoice page shows."""
    shot = page.locator(".pay-qr img").screenshot()
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)).convert("L"))
    return found.text.split("\n")


def test_the_treasurer_switches_to_the_belgian_reference_and_sees_the_qr_code(
    page: Page, api: Api, rf_afterwards: None
) -> None:
    contact = api.contact("Greet", f"Qr{uuid.uuid4().hex[:6]}")
    invoice = issued_invoice(api, contact["id"])  # 45.00
    api.call(
        "POST",
        f"/billing/invoices/{invoice['id']}/payments",
        json={"amount": "10.00", "paid_on": invoice["issue_date"], "method": "cash"},
    )
    iban = api.call("GET", "/billing/organisation")["iban"]
    belgian = belgian_structured_communication(invoice["number"])
    assert belgian is not None

    sign_in(page, api.login_of(Role.TREASURER))
    choose_scheme(page, "billing.scheme.be_structured")
    check_accessibility(page, "billing-reference-scheme")

    page.goto(f"/invoices/{invoice['id']}")
    pay = page.locator(
        "section.card", has=page.get_by_role("heading", name=NL["billing.pay.title"])
    )
    expect(pay.get_by_test_id("payment-reference")).to_have_text(belgian)
    expect(pay.get_by_role("img", name=NL["billing.pay.qrAlt"])).to_be_visible()
    expect(pay.locator("figcaption")).to_have_text(NL["billing.pay.scan"])
    check_accessibility(page, "billing-invoice-payment-qr")
    lines = qr_payload_on_screen(page)
    assert lines[:4] == ["BCD", "002", "1", "SCT"]
    assert lines[6] == iban
    assert lines[7] == f"EUR{Decimal('35.00')}"  # the open amount, not the total of 45
    assert lines[9] == re.sub(r"\D", "", belgian)

    with page.expect_download() as downloading:
        page.get_by_role("button", name=NL["billing.action.pdf"]).click()
    with open(downloading.value.path(), "rb") as file:
        pdf = PdfReader(io.BytesIO(file.read()))
    assert f"Payment reference: {belgian}" in pdf.pages[0].extract_text()

    choose_scheme(page, "billing.scheme.rf")
    page.goto(f"/invoices/{invoice['id']}")
    rf = creditor_reference(invoice["number"])
    expect(pay.get_by_test_id("payment-reference")).to_have_text(rf)
    expect(pay.get_by_role("img", name=NL["billing.pay.qrAlt"])).to_be_visible()
    assert qr_payload_on_screen(page)[9] == rf.replace(" ", "")
