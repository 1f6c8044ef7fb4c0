"""What an invoice or credit note PDF shows, as plain values (no database, no I/O).

The figures come from the invoice as billing keeps it; the renderer prints them and only
sums the VAT per rate for the summary table.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

DocumentKind = Literal["invoice", "credit_note"]


@dataclass(frozen=True, slots=True)
class Party:
    """The organisation or the contact: a name and the lines of a postal address."""

    name: str
    address_lines: tuple[str, ...] = ()
    vat_number: str | None = None
    email: str | None = None


# A pydantic model (not a dataclass like the others): the invoices API answers a line as
# LineOut, this model under its own name, so the fields stand once. No docstring: LineOut's
# OpenAPI schema has no description.
class DocumentLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    position: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    # Percent, e.g. Decimal("21") or Decimal("0").
    vat_rate: Decimal
    net_amount: Decimal
    vat_amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentInstructions:
    """How to pay: the account and the reference to quote."""

    iban: str
    bic: str | None
    reference: str


@dataclass(frozen=True, slots=True)
class InvoiceDocument:
    kind: DocumentKind
    number: str
    issue_date: date
    due_date: date | None
    seller: Party
    buyer: Party
    lines: tuple[DocumentLine, ...]
    currency: str
    total_net: Decimal
    total_vat: Decimal
    total: Decimal
    amount_paid: Decimal
    amount_due: Decimal
    payment: PaymentInstructions | None = None
    # A credit note names the invoice it corrects.
    corrects_number: str | None = None
    notes: tuple[str, ...] = field(default=())

    def vat_summary(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        """(rate, net, VAT) per VAT rate, lowest rate first."""
        per_rate: dict[Decimal, tuple[Decimal, Decimal]] = {}
        for line in self.lines:
            net, vat = per_rate.get(line.vat_rate, (Decimal(0), Decimal(0)))
            per_rate[line.vat_rate] = (net + line.net_amount, vat + line.vat_amount)
        return [(rate, *per_rate[rate]) for rate in sorted(per_rate)]
