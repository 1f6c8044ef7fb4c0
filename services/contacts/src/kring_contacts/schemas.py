"""The API's request and response bodies (the tables live in `db_models`).

Every free-text field is bounded and refuses NUL (the shared `kring_platform.validation`
types); e-mails, IBANs and countries are validated and normalised here, so the service layer
only ever sees clean values.
"""

import sys
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Annotated, Any, Literal, Protocol, TypeVar
from uuid import UUID

import pycountry
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)

from kring_contacts import db_models, phones
from kring_contacts.bounces.models import BouncingAddress
from kring_platform.paging import Page
from kring_platform.schemas import model_of
from kring_platform.validation import (
    LongText,
    OptionalShortText,
    ShortText,
    line_constraints,
    normalised_iban,
    refuse_nul,
)

MAX_EMAILS = 10

# Checking the domain of an address (IDNA, every character against UTS #46) is most of what
# validating it costs, and a file of 100,000 contacts has a few hundred domains: each is
# checked once. The result depends on the domain and the options only; a domain that fails
# raises, which is not cached, so its error is what it always was. (`validate_email` calls
# the checker by the name its module imported it under: that name is the one cached.)
_email_validation: Any = sys.modules[validate_email.__module__]
if hasattr(_email_validation, "validate_email_domain_name"):
    _email_validation.validate_email_domain_name = lru_cache(maxsize=1024)(
        _email_validation.validate_email_domain_name
    )


def _email(value: str) -> str:
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid e-mail address: {exc}") from None
    return checked.normalized.lower()


def _country(value: str) -> str:
    code = value.upper()
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError("not an ISO 3166-1 alpha-2 country code")
    return code


def _phone(value: str) -> str:
    # Read in the organisation's country when typed without a country code; stored E.164.
    return phones.parse_phone(value, phones.default_region())


def _not_in_future(value: date) -> date:
    if value > date.today():
        raise ValueError("must not be in the future")
    return value


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


NoNul = AfterValidator(refuse_nul)

# Length, characters and NUL are checked before the value itself is parsed.
Email = Annotated[str, line_constraints(254), NoNul, AfterValidator(_email)]
Iban = Annotated[str, line_constraints(50), NoNul, AfterValidator(normalised_iban)]
CountryCode = Annotated[
    str, line_constraints(2, pattern=r"^[A-Za-z]{2}$"), NoNul, AfterValidator(_country)
]
Phone = Annotated[
    str, line_constraints(40, pattern=r"^[0-9 +(),./-]+$"), NoNul, AfterValidator(_phone)
]
ShortCode = Annotated[str, line_constraints(20), NoNul]
"""A house number or a postcode."""
BirthDate = Annotated[date, AfterValidator(_not_in_future)]
Emails = Annotated[list[Email], Field(max_length=MAX_EMAILS), AfterValidator(_unique)]

# Optional values: a blank string means "none", so a cleared form field clears the value.
Blank = BeforeValidator(_blank_is_none)
OptionalText = Annotated[OptionalShortText | None, Blank]
OptionalShortCode = Annotated[ShortCode | None, Blank]
OptionalCountryCode = Annotated[CountryCode | None, Blank]
OptionalPhone = Annotated[Phone | None, Blank]
OptionalIban = Annotated[Iban | None, Blank]


PHONE_INPUT_DESCRIPTION = (
    "Typed any way (`0465 31 72 90`, `+32 465 31 72 90`, `0032465317290`); without a country "
    "code, a number of the organisation's country; stored E.164; an invalid number is a 422"
)


class _Input(BaseModel):
    # Unknown fields are refused rather than silently dropped: a typo must not look saved.
    model_config = ConfigDict(extra="forbid")


def _refuse_null(value: Any) -> Any:
    # Runs only for fields that were sent: an explicit null is refused, absence is not.
    if value is None:
        raise ValueError("cannot be cleared")
    return value


def not_cleared(*fields: str) -> Any:
    """The validator of a PATCH body's `fields` that may be left out but not sent as `null`."""
    return field_validator(*fields)(_refuse_null)


class AddressInput(_Input):
    """A postal address; in a PATCH only the fields sent change."""

    street: OptionalText = None
    number: OptionalShortCode = None
    postcode: OptionalShortCode = None
    city: OptionalText = None
    country: OptionalCountryCode = Field(default=None, description="ISO 3166-1 alpha-2")


class ContactCreate(_Input):
    first_name: ShortText
    last_name: ShortText
    emails: Emails = []
    phone: OptionalPhone = Field(default=None, description=PHONE_INPUT_DESCRIPTION)
    address: AddressInput = AddressInput()
    iban: OptionalIban = Field(default=None, description="With or without spaces")
    birth_date: BirthDate | None = None
    notes: LongText = ""


class ContactPatch(_Input):
    """Only the fields sent change; `null` clears an optional field; `address` merges."""

    first_name: ShortText | None = None
    last_name: ShortText | None = None
    emails: Emails | None = None
    phone: OptionalPhone = Field(default=None, description=PHONE_INPUT_DESCRIPTION)
    address: AddressInput | None = None
    iban: OptionalIban = Field(default=None, description="With or without spaces")
    birth_date: BirthDate | None = None
    notes: LongText | None = None

    _not_cleared = not_cleared("first_name", "last_name", "emails", "notes")


class Address(BaseModel):
    street: str | None
    number: str | None
    postcode: str | None
    city: str | None
    country: str | None


class MembershipTypeRef(BaseModel):
    id: UUID = Field(description="The membership type's id (what `member_of_type` takes)")
    name: str = Field(description="The type's name; its id until the type's event arrived")


class MembershipSummary(BaseModel):
    """Whether the contact is a member on `on`, from the memberships service's events.

    `on` is today in the organisation's time zone, or the day a list was asked for
    (`member_on`)."""

    on: date
    status: Literal["member", "non_member"]
    types: list[MembershipTypeRef] = Field(
        description="The types of the memberships active that day, by name"
    )


class BouncingEmail(BaseModel):
    """One of the contact's addresses that bounces, as the newsletters service reported it:
    mailings leave it out until it is cleared."""

    email: str
    kind: str = Field(description="hard or soft")
    bounces: int
    reason: str
    since: datetime


PHONE_DESCRIPTION = (
    "E.164 (`+32465317290`); a number stored before E.164 that never parsed, as it was typed"
)
PHONE_DISPLAY_DESCRIPTION = (
    "The phone as people read it: national form for the organisation's country "
    "(`0465 31 72 90`), international otherwise (`+31 6 12345678`)"
)


class _ContactHead(BaseModel):
    """The fields `Contact` and `ContactSummary` both begin with (their schemas stay whole)."""

    id: UUID
    first_name: str
    last_name: str
    emails: list[str]
    phone: str | None = Field(description=PHONE_DESCRIPTION)
    phone_display: str | None = Field(description=PHONE_DISPLAY_DESCRIPTION)


class Contact(_ContactHead):
    address: Address
    iban: str | None = Field(description="Compact, upper-case")
    birth_date: date | None
    notes: str
    version: int = Field(description="The contact's event sequence")
    created_at: datetime
    updated_at: datetime
    membership: MembershipSummary
    bouncing_emails: list[BouncingEmail] = Field(
        default=[], description="Which of `emails` bounce (from `kring.newsletters.v1`)"
    )


class ContactSummary(_ContactHead):
    """A contact as lists and search results show it."""

    postcode: str | None
    city: str | None
    membership: MembershipSummary


class ContactSearchPage(Page[ContactSummary]):
    """A page of ranked search results. Only a bounded set of matches is ranked: `total`
    counts that set, and `complete` is false when more contacts match than were ranked."""

    complete: bool


class GroupCreate(_Input):
    name: ShortText


class GroupRename(_Input):
    name: ShortText


class Group(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    name: str
    version: int = Field(description="The group's event sequence")
    created_at: datetime
    updated_at: datetime


class GroupMember(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    group_id: UUID
    contact_id: UUID
    added_at: datetime


M = TypeVar("M", bound=BaseModel)


class ContactLink(Protocol):
    """A family's or a company's link to a contact."""

    role: str
    linked_at: datetime


def linked_contact(view: type[M], contact: db_models.Contact, link: ContactLink) -> M:
    """A contact as its family or company lists it: its name and e-mails, role and since when."""
    return model_of(view, contact, contact_id=contact.id, role=link.role, linked_at=link.linked_at)


def _phone_display(row: db_models.Contact) -> str | None:
    return phones.display_phone(row.phone, phones.default_region())


def contact_from_row(
    row: db_models.Contact, membership: MembershipSummary, bouncing: Sequence[BouncingAddress]
) -> Contact:
    """The contact with its membership on a day and its `bouncing` addresses' rows."""
    return model_of(
        Contact,
        row,
        phone_display=_phone_display(row),
        # As `address_fields.address_view` reads it (that module imports this one).
        address=Address.model_validate(row, from_attributes=True),
        membership=membership,
        bouncing_emails=[
            BouncingEmail.model_validate(bounce, from_attributes=True) for bounce in bouncing
        ],
    )


def contact_summary_from_row(
    row: db_models.Contact, membership: MembershipSummary
) -> ContactSummary:
    return model_of(ContactSummary, row, phone_display=_phone_display(row), membership=membership)
