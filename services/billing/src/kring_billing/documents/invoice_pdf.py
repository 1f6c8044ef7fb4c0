"""An invoice or credit note as an A4 PDF (reportlab's platypus: long invoices flow onto
more pages, the table header repeats).

Text is set in the embedded Unicode font of kring_platform.pdf_fonts, so contacts' names in
any script print. The same document gives the same bytes (reportlab's invariant mode), which
keeps an e-mailed attachment identical to a later download.
"""

import functools
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kring_billing.documents.epc_qr import epc_qr_png, transfer_for
from kring_billing.documents.invoice_document import InvoiceDocument, Party, PaymentInstructions
from kring_platform.pdf_fonts import PdfFonts, embeddable_fonts

DATE_FORMAT = "%d/%m/%Y"
# Under the EPC QR code, in the invoice's language (invoices are in English today).
SCAN_TO_PAY = "Scan to pay"
# Printed 30 mm wide: a phone reads it from a hand's length, the guideline's minimum is ~2 cm.
_QR_SIZE = 30 * mm


@functools.cache
def invoice_fonts() -> PdfFonts:
    return embeddable_fonts()


def money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def _quantity(value: Decimal) -> str:
    # 1.000 -> 1, 2.50 -> 2.5: quantities print without trailing zeros.
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rate(value: Decimal) -> str:
    return f"{_quantity(value)} %"


class _Styles:
    def __init__(self, fonts: PdfFonts) -> None:
        self.body = ParagraphStyle("body", fontName=fonts.regular, fontSize=9.5, leading=12)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10)
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=fonts.bold)
        self.title = ParagraphStyle(
            "title", parent=self.body, fontName=fonts.bold, fontSize=16, leading=20
        )
        self.right = ParagraphStyle("right", parent=self.body, alignment=2)
        self.right_bold = ParagraphStyle("right_bold", parent=self.bold, alignment=2)


def _text(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(value), style)


def _party(party: Party, styles: _Styles) -> list[Flowable]:
    flow: list[Flowable] = [_text(party.name, styles.bold)]
    flow += [_text(line, styles.body) for line in party.address_lines]
    if party.vat_number:
        flow.append(_text(f"VAT {party.vat_number}", styles.body))
    return flow


def render_invoice_pdf(document: InvoiceDocument) -> bytes:
    """The document as PDF bytes."""
    fonts = invoice_fonts()
    styles = _Styles(fonts)
    title = "Credit note" if document.kind == "credit_note" else "Invoice"
    buffer = BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{title} {document.number}",
        author=document.seller.name,
        invariant=True,
    )
    width = A4[0] - 36 * mm
    story: list[Flowable] = []

    parties = Table(
        [[_party(document.seller, styles), _party(document.buyer, styles)]],
        colWidths=[width / 2, width / 2],
    )
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [parties, Spacer(1, 10 * mm), _text(f"{title} {document.number}", styles.title)]

    facts = [("Date", document.issue_date.strftime(DATE_FORMAT))]
    if document.due_date is not None:
        facts.append(("Due date", document.due_date.strftime(DATE_FORMAT)))
    if document.corrects_number:
        facts.append(("Corrects invoice", document.corrects_number))
    facts_table = Table(
        [[_text(label, styles.bold), _text(value, styles.body)] for label, value in facts],
        colWidths=[40 * mm, width - 40 * mm],
        hAlign="LEFT",
    )
    facts_table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (0, -1), 0)]))
    story.append(facts_table)
    story.append(Spacer(1, 6 * mm))
    story.append(_lines_table(document, styles, width))
    story.append(Spacer(1, 4 * mm))
    story.append(_totals_table(document, styles, width))

    if document.payment is not None and document.amount_due > 0:
        story += [Spacer(1, 8 * mm), _payment_block(document, document.payment, styles, width)]
    story += [_text(note, styles.small) for note in document.notes]
    template.build(story)
    return buffer.getvalue()


def _payment_block(
    document: InvoiceDocument, payment: PaymentInstructions, styles: _Styles, width: float
) -> Table:
    """How to pay: the amount, the account and the reference, and beside them the EPC QR
    code a banking app scans (when the amount can be paid by a SEPA transfer)."""
    account = payment.iban + (f" (BIC {payment.bic})" if payment.bic else "")
    instructions = [
        _text(
            f"Please pay {money(document.amount_due, document.currency)} to {account}", styles.body
        ),
        _text(f"Payment reference: {payment.reference}", styles.bold),
    ]
    transfer = transfer_for(document)
    if transfer is None:
        return Table([[instructions]], colWidths=[width], hAlign="LEFT")
    code = Image(BytesIO(epc_qr_png(transfer)), width=_QR_SIZE, height=_QR_SIZE)
    caption = ParagraphStyle("caption", parent=styles.small, alignment=1)
    block = Table(
        [[instructions, [code, _text(SCAN_TO_PAY, caption)]]],
        colWidths=[width - _QR_SIZE - 6 * mm, _QR_SIZE + 6 * mm],
    )
    block.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, -1), 0)])
    )
    return block


def _lines_table(document: InvoiceDocument, styles: _Styles, width: float) -> Table:
    header = ["Description", "Quantity", "Unit price", "VAT", "Net amount"]
    rows: list[list[Paragraph]] = [[_text(cell, styles.right_bold) for cell in header]]
    rows[0][0] = _text(header[0], styles.bold)
    for line in document.lines:
        rows.append(
            [
                _text(line.description, styles.body),
                _text(_quantity(line.quantity), styles.right),
                _text(money(line.unit_price, document.currency), styles.right),
                _text(_rate(line.vat_rate), styles.right),
                _text(money(line.net_amount, document.currency), styles.right),
            ]
        )
    numbers = [22 * mm, 30 * mm, 18 * mm, 30 * mm]  # quantity, unit price, VAT, amount
    table = Table(
        rows,
        colWidths=[width - sum(numbers), *numbers],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _totals_table(document: InvoiceDocument, styles: _Styles, width: float) -> Table:
    currency = document.currency
    rows: list[list[Paragraph]] = []
    for rate, net, vat in document.vat_summary():
        rows.append(
            [
                _text(f"VAT {_rate(rate)} on {money(net, currency)}", styles.right),
                _text(money(vat, currency), styles.right),
            ]
        )
    rows += [
        [
            _text("Total excluding VAT", styles.right),
            _text(money(document.total_net, currency), styles.right),
        ],
        [
            _text("Total VAT", styles.right),
            _text(money(document.total_vat, currency), styles.right),
        ],
        [
            _text("Total", styles.right_bold),
            _text(money(document.total, currency), styles.right_bold),
        ],
    ]
    if document.amount_paid:
        rows.append(
            [
                _text("Paid", styles.right),
                _text(money(document.amount_paid, currency), styles.right),
            ]
        )
    rows.append(
        [
            _text("Amount due", styles.right_bold),
            _text(money(document.amount_due, currency), styles.right_bold),
        ]
    )
    table = Table(rows, colWidths=[width - 35 * mm, 35 * mm])
    table.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black)]))
    return table
