"""Events of the memberships service, on `kring.memberships.v1`.

Membership events carry the membership id as subject (sequence per membership) and the
contact id as key, so all of one contact's memberships stay ordered in one partition.
Membership type events carry the type id as subject and key. The federation affiliation
export's events (a profile saved, an export made) carry the profile id as subject and key.
"""

from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from kring_contracts.envelope import EventPayload
from kring_contracts.topics import MEMBERSHIPS_TOPIC


class MembershipsEvent(EventPayload):
    topic: ClassVar[str] = MEMBERSHIPS_TOPIC


BillingPeriod = Literal["yearly", "monthly", "one_off"]
TermKind = Literal["seasonal", "rolling", "fixed_end", "fixed_months"]


class FeeVersion(BaseModel):
    """The fee from `valid_from` on; earlier versions stay as they were billed."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    currency: str = "EUR"
    valid_from: date


class MembershipTypeDetails(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    description: str = ""
    billing_period: BillingPeriod
    # Yearly periods start on this day of the year (e.g. a season from 1 September).
    period_start_month: int = 1
    period_start_day: int = 1
    term_kind: TermKind
    term_months: int | None = None
    term_end_date: date | None = None
    pro_rata: bool = False
    refund_on_early_end: bool = False
    rights: list[str] = []
    archived: bool = False
    fee_versions: list[FeeVersion]


class MembershipTypeCreated(MembershipsEvent):
    event_type: ClassVar[str] = "kring.memberships.membership_type.created"
    type_id: UUID
    membership_type: MembershipTypeDetails


class MembershipTypeUpdated(MembershipsEvent):
    """Any change of a type, fee versions and archiving included; carries the whole type."""

    event_type: ClassVar[str] = "kring.memberships.membership_type.updated"
    type_id: UUID
    membership_type: MembershipTypeDetails
    changed_fields: list[str]


class MembershipRegistered(MembershipsEvent):
    """A membership was entered. `replaces` names the one it follows on a type change."""

    event_type: ClassVar[str] = "kring.memberships.membership.registered"
    membership_id: UUID
    contact_id: UUID
    type_id: UUID
    start_date: date
    end_date: date | None
    member_number: str
    replaces: UUID | None = None


class MembershipActivated(MembershipsEvent):
    """The start date arrived (emitted once, on that day in the organisation's time zone)."""

    event_type: ClassVar[str] = "kring.memberships.membership.activated"
    membership_id: UUID
    contact_id: UUID
    type_id: UUID
    start_date: date


EndReason = Literal["term_over", "resigned", "type_changed", "deceased", "expelled", "other"]


class MembershipEndSet(MembershipsEvent):
    """The membership will end (or ended) on `end_date`; `ended` follows when that day comes."""

    event_type: ClassVar[str] = "kring.memberships.membership.end_set"
    membership_id: UUID
    contact_id: UUID
    type_id: UUID
    end_date: date
    reason: EndReason


class MembershipEnded(MembershipsEvent):
    """The end date passed: from the day after `end_date` the contact is no longer a member
    through this membership."""

    event_type: ClassVar[str] = "kring.memberships.membership.ended"
    membership_id: UUID
    contact_id: UUID
    type_id: UUID
    end_date: date
    reason: EndReason


class MembershipDeleted(MembershipsEvent):
    """Entered by mistake: consumers forget it, as if it never existed."""

    event_type: ClassVar[str] = "kring.memberships.membership.deleted"
    membership_id: UUID
    contact_id: UUID


AffiliationFileFormat = Literal["csv", "xlsx"]
AffiliationExportMode = Literal["full", "delta"]


class AffiliationColumn(BaseModel):
    """A column of the federation's file: Kring's column id and the header the file gives it."""

    model_config = ConfigDict(frozen=True)

    column: str
    header: str


class AffiliationProfileSaved(MembershipsEvent):
    """A federation affiliation export profile was made (`created`) or changed: what the
    federation receives. Subject and key: the profile id."""

    event_type: ClassVar[str] = "kring.memberships.affiliation_profile.saved"
    profile_id: UUID
    name: str
    federation: str
    columns: list[AffiliationColumn]
    type_ids: list[UUID]
    format: AffiliationFileFormat
    created: bool


class AffiliationExportMade(MembershipsEvent):
    """An affiliation file was made for a profile: every member on `on` (`full`) or the
    changes since the profile's previous export (`delta`: counts of new, changed and ended
    rows; none for a full export). Subject and key: the profile id (its exports are one
    chain); the file itself is at the memberships API's `/affiliation/exports/{id}/file`."""

    event_type: ClassVar[str] = "kring.memberships.affiliation_export.made"
    export_id: UUID
    profile_id: UUID
    profile_name: str
    federation: str
    number: int
    mode: AffiliationExportMode
    on: date
    members: int
    rows: int
    new: int | None = None
    changed: int | None = None
    ended: int | None = None
    file_name: str
