"""Paying by banking app, without I/O: the Belgian structured communication (check digits by
python-stdnum), the EPC QR code's payload, the QR code on the PDF decoded back with
zxing-cpp, and both reference kinds found in a bank statement's text."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kring_billing.bank_statements.camt053 import belgian_references_in_text
from kring_billing.documents import InvoiceDocument, PaymentInstructions, creditor_reference
from kring_billing.documents.epc_qr import (
    MAX_PAYLOAD_BYTES,
    CreditTransfer,
    epc_payload,
    epc_qr_png,
    transfer_for,
)
from kring_billing.documents.invoice_pdf import render_invoice_pdf
from kring_billing.documents.payment_reference import (
    InvalidReference,
    belgian_structured_communication,
    parse_belgian_structured,
    payment_reference,
    reference_body_of,
)

from ..pdf_reading import pdf_text
from ..qr_reading import epc_fields, qr_texts_in_pdf, qr_texts_in_png
from .test_documents_pdf import document, line

BELGIAN_42 = "+++202/6000/04236+++"  # 2026000042 mod 97 = 36


def test_the_belgian_communication_of_an_invoice_number() -> None:
    assert belgian_structured_communication("2026-000042") == BELGIAN_42
    # Remainder 0 (2026000006 = 97 x 20886598): the check digits are 97, not 00.
    assert 2026000006 % 97 == 0
    assert belgian_structured_communication("2026-000006") == "+++202/6000/00697+++"
    # Not exactly 10 digits, or letters: none; the RF reference stands in.
    assert belgian_structured_communication("2026-1000000") is None
    assert belgian_structured_communication("CN-26-000042") is None
    assert payment_reference("2026-1000000", "be_structured") == creditor_reference("2026-1000000")
    assert payment_reference("2026-000042", "rf") == creditor_reference("2026-000042")
    assert payment_reference("2026-000042", "be_structured") == BELGIAN_42


@pytest.mark.parametrize(
    "written",
    [BELGIAN_42, "202/6000/04236", "202600004236", "***202/6000/04236***", "+++ 202 6000 04236"],
)
def test_a_belgian_communication_is_read_however_it_is_typed(written: str) -> None:
    assert parse_belgian_structured(written) == "2026000042"
    assert reference_body_of(written) == "2026000042"


@pytest.mark.parametrize(
    "wrong",
    [
        "+++202/6000/04237+++",  # a check digit off
        "+++202/6000/04263+++",  # two digits swapped
        "+++202/6000/00600+++",  # remainder 0 written as 00
        "+++202/6000/0423+++",  # a digit short
        "+++000/0000/00000+++",
        "RF02 2026 0000 43",
    ],
)
def test_a_wrong_belgian_communication_is_refused(wrong: str) -> None:
    with pytest.raises(InvalidReference):
        parse_belgian_structured(wrong)


def test_an_rf_reference_still_names_its_body() -> None:
    assert reference_body_of(creditor_reference("2026-000042")) == "2026000042"
    with pytest.raises(InvalidReference):
        reference_body_of("RF03 2026 0000 42")


@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=999_999))
def test_every_invoice_number_gives_a_valid_communication(year: int, sequence: int) -> None:
    number = f"{year}-{sequence:06d}"
    written = belgian_structured_communication(number)
    assert written is not None
    digits = written.strip("+").replace("/", "")
    assert int(digits[10:]) == (int(digits[:10]) % 97 or 97)
    assert parse_belgian_structured(written) == number.replace("-", "")


def test_belgian_communications_are_found_in_free_text() -> None:
    text = "lidgeld Ann 202/6000/04236, tel 0465317290 and +++202600004236+++ 9202600004236"
    assert belgian_references_in_text(text) == ["2026000042", "2026000042"]
    assert belgian_references_in_text("202/6000/04237 and 2026000042") == []


def test_the_epc_payload_follows_the_guideline() -> None:
    transfer = CreditTransfer(
        beneficiary_name="Sportclub Kring vzw",
        iban="BE68 5390 0754 7034",
        amount=Decimal("145.5"),
        bic="GKCCBEBB",
        structured_reference=BELGIAN_42,
    )
    assert epc_payload(transfer) == (
        "BCD\n002\n1\nSCT\nGKCCBEBB\nSportclub Kring vzw\nBE68539007547034\nEUR145.50\n\n"
        "202600004236"
    )
    rf = CreditTransfer("Ü" * 90, "BE68539007547034", Decimal("0.01"), None, "RF02 2026 0000 42")
    fields = epc_fields(epc_payload(rf))
    assert fields["bic"] == "" and fields["name"] == "Ü" * 70
    assert fields["structured_reference"] == "RF022026000042"
    free = CreditTransfer("Kring", "BE68539007547034", Decimal(1), unstructured_text="é" * 200)
    payload = epc_payload(free)
    assert epc_fields(payload)["unstructured_text"] == "é" * 140
    assert len(payload.encode()) <= MAX_PAYLOAD_BYTES
    for amount in ("0", "-1", "1000000000"):
        with pytest.raises(ValueError):
            epc_payload(CreditTransfer("Kring", "BE68539007547034", Decimal(amount)))


def test_the_qr_png_decodes_to_the_payload() -> None:
    transfer = CreditTransfer("Zoë's Club", "BE68539007547034", Decimal("12.30"), None, BELGIAN_42)
    assert qr_texts_in_png(epc_qr_png(transfer)) == [epc_payload(transfer)]


def belgian_document(**fields: object) -> InvoiceDocument:
    lines = (line("Season 2026-2027", "1", "120.00", "0"), line("Shirt", "2", "12.75", "21"))
    payment = PaymentInstructions("BE68 5390 0754 7034", "GKCCBEBB", BELGIAN_42)
    return document(lines, **{"payment": payment, **fields})


def test_the_pdf_carries_a_qr_code_of_the_open_amount_account_and_reference() -> None:
    partly_paid = belgian_document(amount_paid=Decimal("50.00"), amount_due=Decimal("100.86"))
    pdf = render_invoice_pdf(partly_paid)
    [payload] = qr_texts_in_pdf(pdf)
    fields = epc_fields(payload)
    assert fields["iban"] == "BE68539007547034"
    assert fields["amount"] == "EUR100.86"  # what is open, not the total of 150.86
    assert fields["structured_reference"] == "202600004236"
    assert fields["name"] == "Sportclub Kring vzw"
    text = pdf_text(pdf)
    assert f"Payment reference: {BELGIAN_42}" in text
    assert "Scan to pay" in text


@pytest.mark.parametrize(
    "fields",
    [
        {"amount_due": Decimal(0), "amount_paid": Decimal("150.86")},
        {"kind": "credit_note", "corrects_number": "2026-000041", "payment": None},
        {"currency": "USD"},
    ],
    ids=["paid", "credit_note", "not_euro"],
)
def test_no_qr_code_without_an_amount_to_transfer_in_euro(fields: dict[str, object]) -> None:
    shown = belgian_document(**fields)
    pdf = render_invoice_pdf(shown)
    assert qr_texts_in_pdf(pdf) == []
    assert transfer_for(shown) is None
    assert "Scan to pay" not in pdf_text(pdf)
