"""The EPC QR code (EPC069-12, "SEPA credit transfer" QR) a banking app scans to fill in a
transfer: account, name, amount and reference.

The payload is version 002 (the BIC may be left out inside the EEA), UTF-8 (character set
1), lines separated by LF, trailing empty fields left out, at most 331 bytes; the symbol is
a full QR code with error correction M, as the guideline asks (no boost: some apps check).
A structured reference (RF, or the Belgian structured communication as its 12 digits, which
Belgian banking apps take as such) goes in the structured field; the unstructured field is
then empty, as the guideline allows only one of the two.
"""

import io
from dataclasses import dataclass
from decimal import Decimal

import segno

from kring_billing.documents.invoice_document import InvoiceDocument

MAX_PAYLOAD_BYTES = 331
_MAX_NAME = 70
_MAX_STRUCTURED = 35
_MAX_UNSTRUCTURED = 140
_MAX_AMOUNT = Decimal("999999999.99")
# The 4-module quiet zone scanners need around the symbol.
QUIET_ZONE_MODULES = 4


@dataclass(frozen=True, slots=True)
class CreditTransfer:
    """What the QR code asks the payer's bank to transfer."""

    beneficiary_name: str
    iban: str
    amount: Decimal
    bic: str | None = None
    structured_reference: str | None = None
    unstructured_text: str | None = None


def _structured(reference: str) -> str:
    # RF references without the print spaces; a Belgian communication as its 12 digits.
    compact = "".join(char for char in reference if char.isalnum())
    return compact[:_MAX_STRUCTURED]


def epc_payload(transfer: CreditTransfer) -> str:
    """The EPC069-12 payload; ValueError when the amount or the size is out of range."""
    if not Decimal("0.01") <= transfer.amount <= _MAX_AMOUNT:
        raise ValueError(f"an EPC QR amount is 0.01 to {_MAX_AMOUNT} EUR, not {transfer.amount}")
    structured = _structured(transfer.structured_reference or "")
    fields = [
        "BCD",
        "002",
        "1",  # UTF-8
        "SCT",
        transfer.bic or "",
        transfer.beneficiary_name.strip()[:_MAX_NAME],
        transfer.iban.replace(" ", "").upper(),
        f"EUR{transfer.amount.quantize(Decimal('0.01'))}",
        "",  # purpose code
        structured,
        "" if structured else (transfer.unstructured_text or "")[:_MAX_UNSTRUCTURED],
    ]
    payload = "\n".join(fields).rstrip("\n")
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"an EPC QR payload holds at most {MAX_PAYLOAD_BYTES} bytes")
    return payload


def transfer_for(document: InvoiceDocument) -> CreditTransfer | None:
    """The transfer that pays what is open on the document; None when there is nothing to
    pay by transfer (a credit note, nothing open, no account, not in euro)."""
    payment = document.payment
    if (
        document.kind != "invoice"
        or payment is None
        or document.currency != "EUR"
        or document.amount_due <= 0
    ):
        return None
    return CreditTransfer(
        beneficiary_name=document.seller.name,
        iban=payment.iban,
        amount=document.amount_due,
        bic=payment.bic,
        structured_reference=payment.reference,
    )


def epc_qr(transfer: CreditTransfer) -> segno.QRCode:
    return segno.make_qr(epc_payload(transfer), error="m", boost_error=False, encoding="utf-8")


def epc_qr_png(transfer: CreditTransfer, *, scale: int = 4) -> bytes:
    """The QR code as PNG, `scale` pixels a module, with its quiet zone."""
    out = io.BytesIO()
    epc_qr(transfer).save(out, kind="png", scale=scale, border=QUIET_ZONE_MODULES)
    return out.getvalue()


def epc_qr_svg_data_uri(transfer: CreditTransfer, *, scale: int = 4) -> str:
    """The QR code as an SVG data URI, for an <img> in the web app."""
    return str(epc_qr(transfer).svg_data_uri(scale=scale, border=QUIET_ZONE_MODULES))
