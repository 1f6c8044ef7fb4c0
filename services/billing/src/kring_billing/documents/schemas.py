"""The invoice documents' response bodies."""

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel


class InvoiceSendOut(BaseModel):
    send_id: uuid.UUID
    invoice_id: uuid.UUID
    message_id: str
    recipient: str
    sent_at: datetime
    # A send a crash had left pending, completed now with its first Message-ID.
    resumed: bool


class PaymentInstructionsOut(BaseModel):
    """How to pay what is open: the account, the reference as printed, and the EPC QR code
    (absent for a credit note, a settled invoice or another currency than euro)."""

    iban: str
    bic: str | None
    reference: str | None
    amount: Decimal
    currency: str
    epc_payload: str | None
    # The QR code as an SVG data URI, ready for an <img>.
    qr_code: str | None
