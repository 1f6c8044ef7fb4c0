"""Invoice PDFs and RF references, without I/O: the PDF's text is read back with pypdf."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from kring_billing.documents import (
    DocumentLine,
    InvalidReference,
    InvoiceDocument,
    Party,
    PaymentInstructions,
    creditor_reference,
    parse_reference,
    render_invoice_pdf,
)

from ..pdf_reading import pdf_text


def line(description: str, quantity: str, unit_price: str, rate: str) -> DocumentLine:
    net = Decimal(quantity) * Decimal(unit_price)
    vat = (net * Decimal(rate) / 100).quantize(Decimal("0.01"))
    return DocumentLine(
        position=1,
        description=description,
        quantity=Decimal(quantity),
        unit_price=Decimal(unit_price),
        vat_rate=Decimal(rate),
        net_amount=net,
        vat_amount=vat,
    )


def document(lines: tuple[DocumentLine, ...], **fields: object) -> InvoiceDocument:
    net = sum((item.net_amount for item in lines), Decimal(0))
    vat = sum((item.vat_amount for item in lines), Decimal(0))
    values: dict[str, object] = {
        "kind": "invoice",
        "number": "2026-000042",
        "issue_date": date(2026, 3, 15),
        "due_date": date(2026, 4, 14),
        "seller": Party("Sportclub Kring vzw", ("Dorpsstraat 1", "9000 Gent"), "BE0123456749"),
        "buyer": Party("Zoë Łukasiewicz", ("Kerkstraat 12", "2000 Antwerpen")),
        "lines": lines,
        "currency": "EUR",
        "total_net": net,
        "total_vat": vat,
        "total": net + vat,
        "amount_paid": Decimal(0),
        "amount_due": net + vat,
        "payment": PaymentInstructions(
            "BE68 5390 0754 7034", "GKCCBEBB", creditor_reference("2026-000042")
        ),
    }
    values.update(fields)
    return InvoiceDocument(**values)  # type: ignore[arg-type]


def test_an_invoice_shows_parties_lines_vat_totals_and_reference() -> None:
    lines = (
        line("Membership 2026 - seniors", "1", "120.00", "0"),
        line("Club T-shirt", "2", "15.50", "21"),
    )
    invoice = document(lines)
    text = pdf_text(render_invoice_pdf(invoice))
    for expected in [
        "Invoice 2026-000042",
        "Sportclub Kring vzw",
        "9000 Gent",
        "Zoë Łukasiewicz",
        "Kerkstraat 12",
        "15/03/2026",
        "14/04/2026",
        "Membership 2026 - seniors",
        "Club T-shirt",
        f"{invoice.total_net:,.2f} EUR",
        f"{invoice.total_vat:,.2f} EUR",
        f"{invoice.total:,.2f} EUR",
        f"Payment reference: {creditor_reference('2026-000042')}",
    ]:
        assert expected in text
    for rate, net, vat in invoice.vat_summary():
        assert f"VAT {rate} % on {net:,.2f} EUR {vat:,.2f} EUR" in text
    assert "Corrects invoice" not in text


def test_a_credit_note_names_the_invoice_it_corrects() -> None:
    lines = (line("Membership 2026 - seniors", "-1", "120.00", "0"),)
    credit = document(
        lines,
        kind="credit_note",
        number="CN-2026-000003",
        corrects_number="2026-000042",
        payment=None,
        amount_due=Decimal(0),
        due_date=None,
    )
    text = pdf_text(render_invoice_pdf(credit))
    assert "Credit note CN-2026-000003" in text
    assert "Corrects invoice 2026-000042" in text
    assert "Payment reference" not in text


def test_a_long_invoice_flows_onto_more_pages_and_renders_the_same_bytes() -> None:
    lines = tuple(line(f"Training session {n}", "1", "7.25", "6") for n in range(120))
    invoice = document(lines)
    pdf = render_invoice_pdf(invoice)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 1
    text = pdf_text(pdf)
    assert "Training session 0 " in text and "Training session 119 " in text
    assert f"Amount due {invoice.amount_due:,.2f} EUR" in text
    assert render_invoice_pdf(invoice) == pdf


def test_markup_in_names_prints_as_text() -> None:
    invoice = document((line("<b>Fish & chips</b>", "1", "5.00", "6"),), buyer=Party("A & B <Co>"))
    text = pdf_text(render_invoice_pdf(invoice))
    assert "<b>Fish & chips</b>" in text
    assert "A & B <Co>" in text


# ISO 11649's own example, and references from the invoice numbers we give.
def test_the_iso_11649_example_verifies() -> None:
    assert parse_reference("RF18 5390 0754 7034") == "539007547034"
    assert creditor_reference("539007547034") == "RF18 5390 0754 7034"


@given(st.from_regex(r"[A-Z0-9][A-Z0-9-]{0,20}", fullmatch=True))
def test_a_reference_round_trips_and_a_typo_is_refused(number: str) -> None:
    body = re.sub("[^A-Z0-9]", "", number)
    if not body or len(body) > 21:
        with pytest.raises(ValueError):
            creditor_reference(number)
        return
    reference = creditor_reference(number)
    assert parse_reference(reference) == body
    assert parse_reference(reference.replace(" ", "").lower()) == body
    # A digit changed is caught by MOD 97-10 (here a check digit, always a digit).
    compact = reference.replace(" ", "")
    typo = compact[:3] + str((int(compact[3]) + 1) % 10) + compact[4:]
    with pytest.raises(InvalidReference):
        parse_reference(typo)


@pytest.mark.parametrize("text", ["", "RF", "RF1", "XX18539007547034", "RF18 5390 0754 7035"])
def test_what_is_no_valid_reference_is_refused(text: str) -> None:
    with pytest.raises(InvalidReference):
        parse_reference(text)
