"""The API bodies of SEPA direct debit: mandates and collections."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, model_validator

from kring_billing.schemas import Body, Day
from kring_billing.sepa.identifiers import normalised_bic, valid_mandate_reference
from kring_billing.sepa.models import Mandate
from kring_platform.schemas import model_of
from kring_platform.validation import line_constraints, normalised_iban

Iban = Annotated[str, line_constraints(42, min_length=1), AfterValidator(normalised_iban)]
Bic = Annotated[str, line_constraints(11, min_length=8), AfterValidator(normalised_bic)]
MandateReference = Annotated[
    str, line_constraints(35, min_length=1), AfterValidator(valid_mandate_reference)
]
SequenceTypeName = Literal["FRST", "RCUR"]


class MandateCreate(Body):
    """A signed mandate. Without a reference the service makes one up."""

    reference: MandateReference | None = None
    iban: Iban
    bic: Bic | None = None
    signed_on: Day


class MandateChange(Body):
    """Another account of the debtor (an amendment of the mandate); left out stays."""

    iban: Iban | None = None
    bic: Bic | None = None


class MandateOut(BaseModel):
    id: uuid.UUID
    contact_id: uuid.UUID
    reference: str
    iban: str
    bic: str | None
    signed_on: date
    status: Literal["active", "revoked"]
    revoked_on: date | None
    # What the next collection under it will be.
    next_sequence_type: SequenceTypeName
    first_collected_at: datetime | None
    version: int = Field(description="The mandate's event sequence; its ETag")

    @classmethod
    def of(cls, mandate: Mandate) -> "MandateOut":
        return model_of(
            cls,
            mandate,
            status="revoked" if mandate.status == "revoked" else "active",
            next_sequence_type="FRST" if mandate.first_collected_at is None else "RCUR",
        )


class CollectionCreate(Body):
    """Which invoices to collect, and on which day. Either `invoice_ids`, or a filter over
    the open invoices (`due_before`, or all open ones when left out)."""

    collection_date: Day
    invoice_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=10_000)] | None = None
    due_before: Day | None = None

    @model_validator(mode="after")
    def _one_way(self) -> "CollectionCreate":
        if self.invoice_ids is not None and self.due_before is not None:
            raise ValueError("give invoice_ids or due_before, not both")
        return self


class CollectedInvoice(BaseModel):
    invoice_id: uuid.UUID
    number: str
    amount: Decimal
    sequence_type: SequenceTypeName
    mandate_reference: str


SkipCode = Literal[
    "no_such_invoice",
    "credit_note",
    "not_open",
    "already_submitted",
    "not_euro",
    "nothing_to_pay",
    "no_debtor_name",
    "no_active_mandate",
    "mandate_expired",
]


class SkippedInvoice(BaseModel):
    invoice_id: uuid.UUID
    number: str | None
    # None in collections made before the code was kept.
    code: SkipCode | None = Field(default=None, description="Why, for a program or a translation")
    reason: str = Field(description="Why, in English, with the particulars")


class CollectionOut(BaseModel):
    id: uuid.UUID
    message_id: str
    collection_date: date
    transaction_count: int
    control_sum: Decimal
    created_at: datetime
    included: list[CollectedInvoice]
    skipped: list[SkippedInvoice]
