"""What a bank statement import answers."""

import uuid
from decimal import Decimal

from pydantic import BaseModel


class ImportedTransaction(BaseModel):
    key: str
    amount: Decimal
    reference: str | None
    invoice_id: uuid.UUID | None = None
    number: str | None = None
    payment_id: uuid.UUID | None = None
    reason: str | None = None
    # A returned direct debit: the payment it reversed (None when the collection's credit
    # was never booked) and whether its reason code revoked the mandate.
    reversed_payment_id: uuid.UUID | None = None
    mandate_revoked: bool | None = None


class StatementImportOut(BaseModel):
    """What an import did: payments booked (`matched`), transactions left for a person
    (`unmatched`), returned direct debits (`returned`: the collection's payment reversed, the
    invoice open again, the mandate revoked when the reason says it is unusable),
    transactions of earlier imports, and debits and reversals that are no payment of an
    invoice (`ignored`)."""

    statements: int
    matched: list[ImportedTransaction]
    unmatched: list[ImportedTransaction]
    returned: list[ImportedTransaction]
    already_imported: list[str]
    ignored: int
