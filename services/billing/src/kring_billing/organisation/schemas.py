"""The organisation's request and response bodies."""

from pydantic import BaseModel

from kring_billing.documents.payment_reference import ReferenceScheme


class OrganisationOut(BaseModel):
    name: str
    address: list[str]
    vat_number: str | None
    iban: str
    bic: str
    # `rf`: ISO 11649 creditor reference (RF02 2026 0000 42); `be_structured`: the Belgian
    # structured communication (+++202/6000/04236+++).
    payment_reference_scheme: ReferenceScheme


class OrganisationChange(BaseModel):
    payment_reference_scheme: ReferenceScheme
