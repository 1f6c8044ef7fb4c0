"""The API's bodies for companies, their linked contacts, contracts and logo (the tables
live in `company_models`). VAT numbers are validated and stored compact by python-stdnum."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, Field, model_validator
from stdnum.be import vat as be_vat
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError

from kring_contacts.schemas import (
    Address,
    AddressInput,
    Blank,
    NoNul,
    OptionalIban,
    _Input,
    not_cleared,
)
from kring_platform.validation import LongText, ShortText, line_constraints


def _vat_number(value: str) -> str:
    """A European VAT number with its country prefix, or a Belgian enterprise number
    without it ("0403.170.701"); compact, with the prefix ("BE0403170701")."""
    try:
        compact: str = eu_vat.validate(value)
        return compact
    except ValidationError:
        pass
    try:
        return "BE" + be_vat.validate(value).removeprefix("BE")
    except ValidationError as exc:
        raise ValueError(f"not a valid VAT or enterprise number: {exc}") from None


VatNumber = Annotated[str, line_constraints(30), NoNul, AfterValidator(_vat_number)]
OptionalVatNumber = Annotated[VatNumber | None, Blank]
Role = Annotated[str, line_constraints(200, min_length=1), NoNul]
ContractKind = Literal["sponsorship", "supplier", "partnership", "other"]
ContractStatus = Literal["draft", "active", "ended", "cancelled"]
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Currency = Annotated[str, line_constraints(3, pattern=r"^[A-Z]{3}$")]


class CompanyCreate(_Input):
    name: ShortText
    vat_number: OptionalVatNumber = Field(
        default=None, description="EU VAT number, or a Belgian enterprise number"
    )
    address: AddressInput = AddressInput()
    iban: OptionalIban = Field(default=None, description="With or without spaces")
    notes: LongText = ""


class CompanyPatch(_Input):
    """Only the fields sent change; `null` clears an optional one; `address` merges."""

    name: ShortText | None = None
    vat_number: OptionalVatNumber = None
    address: AddressInput | None = None
    iban: OptionalIban = None
    notes: LongText | None = None

    _not_cleared = not_cleared("name", "notes")


class CompanyLink(_Input):
    role: Role = Field(description="What the contact is at the company, e.g. 'manager'")


class _Period(_Input):
    start_date: date
    end_date: date | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> "_Period":
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self


class ContractCreate(_Period):
    kind: ContractKind = "sponsorship"
    amount: Money = Field(description="Exact, two decimals at most")
    currency: Currency = "EUR"
    status: ContractStatus = "draft"
    note: LongText = ""


class ContractPatch(_Input):
    """Only the fields sent change; the period is checked as a whole afterwards."""

    kind: ContractKind | None = None
    start_date: date | None = None
    end_date: date | None = None
    amount: Money | None = None
    currency: Currency | None = None
    status: ContractStatus | None = None
    note: LongText | None = None

    _not_cleared = not_cleared("kind", "start_date", "amount", "currency", "status", "note")


class Contract(BaseModel):
    id: UUID
    company_id: UUID
    kind: str
    start_date: date
    end_date: date | None
    amount: Decimal
    currency: str
    status: str
    note: str
    created_at: datetime
    updated_at: datetime


class CompanyContactView(BaseModel):
    contact_id: UUID
    first_name: str
    last_name: str
    emails: list[str]
    role: str
    linked_at: datetime


class CompanyContactLinkView(BaseModel):
    company_id: UUID
    contact_id: UUID
    role: str
    linked_at: datetime


class Logo(BaseModel):
    content_type: str
    size: int
    sha256: str = Field(description="Also the logo's ETag")
    uploaded_at: datetime
    url: str = Field(description="Where the logo is served, relative to this service")


class Company(BaseModel):
    """A company's profile: its details, linked contacts, contracts and logo."""

    id: UUID
    name: str
    vat_number: str | None
    address: Address
    iban: str | None
    notes: str
    version: int = Field(description="The company's event sequence")
    created_at: datetime
    updated_at: datetime
    contacts: list[CompanyContactView]
    contracts: list[Contract]
    logo: Logo | None
