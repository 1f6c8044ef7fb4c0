"""Events of the contacts service, on `kring.contacts.v1`.

Contact events (including group membership changes) carry the contact id as subject and
Kafka key, and share one sequence per contact, so a consumer sees a contact's history in
order. Group events carry the group id and their own sequence.
"""

from datetime import date
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from kring_contracts.envelope import EventPayload
from kring_contracts.topics import (
    COMPANY_STATE_TOPIC,
    CONTACT_STATE_TOPIC,
    CONTACTS_TOPIC,
    FAMILY_STATE_TOPIC,
    GROUP_STATE_TOPIC,
)


class ContactsEvent(EventPayload):
    topic: ClassVar[str] = CONTACTS_TOPIC


class Address(BaseModel):
    model_config = ConfigDict(frozen=True)

    street: str | None = None
    number: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None


class ContactDetails(BaseModel):
    """What a contact is, as other services may copy it into their read models."""

    model_config = ConfigDict(frozen=True)

    first_name: str
    last_name: str
    emails: list[str] = []
    phone: str | None = None
    address: Address = Address()
    iban: str | None = None
    birth_date: date | None = None


class ContactCreated(ContactsEvent):
    event_type: ClassVar[str] = "kring.contacts.contact.created"
    contact_id: UUID
    contact: ContactDetails


class ContactUpdated(ContactsEvent):
    event_type: ClassVar[str] = "kring.contacts.contact.updated"
    contact_id: UUID
    contact: ContactDetails
    changed_fields: list[str]


class ContactDeleted(ContactsEvent):
    """Soft delete: the contact is gone from lists and searches but can be restored."""

    event_type: ClassVar[str] = "kring.contacts.contact.deleted"
    contact_id: UUID


class ContactErased(ContactsEvent):
    """GDPR erasure: every service removes or anonymises this person's data."""

    event_type: ClassVar[str] = "kring.contacts.contact.erased"
    contact_id: UUID


class GroupCreated(ContactsEvent):
    event_type: ClassVar[str] = "kring.contacts.group.created"
    group_id: UUID
    name: str


class GroupRenamed(ContactsEvent):
    event_type: ClassVar[str] = "kring.contacts.group.renamed"
    group_id: UUID
    old_name: str
    name: str


class GroupDeleted(ContactsEvent):
    """Sent after a `group_member.removed` (reason `group_deleted`) for each member."""

    event_type: ClassVar[str] = "kring.contacts.group.deleted"
    group_id: UUID
    name: str


class GroupMemberAdded(ContactsEvent):
    event_type: ClassVar[str] = "kring.contacts.group_member.added"
    contact_id: UUID
    group_id: UUID
    group_name: str


class GroupMemberRemoved(ContactsEvent):
    event_type: ClassVar[str] = "kring.contacts.group_member.removed"
    contact_id: UUID
    group_id: UUID
    group_name: str
    reason: Literal["removed", "group_deleted", "contact_deleted"]


class ContactMerged(ContactsEvent):
    """`contact_id` was a duplicate of `into_contact_id` and is merged into it: every service
    re-points what it holds for `contact_id` (memberships, subscriptions, invoices) to
    `into_contact_id`. Keyed and sequenced by `contact_id`, its last event."""

    event_type: ClassVar[str] = "kring.contacts.contact.merged"
    contact_id: UUID
    into_contact_id: UUID


FamilyRole = Literal["parent", "child", "partner", "other"]


class FamilyCreated(ContactsEvent):
    event_type: ClassVar[str] = "kring.contacts.family.created"
    family_id: UUID
    name: str
    address: Address = Address()


class FamilyUpdated(ContactsEvent):
    event_type: ClassVar[str] = "kring.contacts.family.updated"
    family_id: UUID
    name: str
    address: Address = Address()


class FamilyDeleted(ContactsEvent):
    """Sent after a `family_member.unlinked` (reason `family_deleted`) for each member; the
    contacts stay."""

    event_type: ClassVar[str] = "kring.contacts.family.deleted"
    family_id: UUID
    name: str


class FamilyMemberLinked(ContactsEvent):
    """The contact belongs to the family with this role (a contact is in one family at a time;
    moving sends `unlinked` from the old family first). Keyed by the contact."""

    event_type: ClassVar[str] = "kring.contacts.family_member.linked"
    contact_id: UUID
    family_id: UUID
    role: FamilyRole


class FamilyMemberUnlinked(ContactsEvent):
    event_type: ClassVar[str] = "kring.contacts.family_member.unlinked"
    contact_id: UUID
    family_id: UUID
    reason: Literal["removed", "moved", "family_deleted", "contact_deleted"]


class CompanyCreated(ContactsEvent):
    """A company (sponsor, supplier, …) joined the contact file. Keyed by the company, in its
    own sequence."""

    event_type: ClassVar[str] = "kring.contacts.company.created"
    company_id: UUID
    name: str
    vat_number: str | None = None


class CompanyUpdated(ContactsEvent):
    event_type: ClassVar[str] = "kring.contacts.company.updated"
    company_id: UUID
    name: str
    vat_number: str | None = None
    changed_fields: list[str]


class CompanyDeleted(ContactsEvent):
    """Sent after a `company_contact.unlinked` (reason `company_deleted`) for each linked
    contact; the contacts stay."""

    event_type: ClassVar[str] = "kring.contacts.company.deleted"
    company_id: UUID
    name: str


class CompanyContactLinked(ContactsEvent):
    """The contact works for the company in this role (sent again when the role changes).
    Keyed by the contact, in its sequence."""

    event_type: ClassVar[str] = "kring.contacts.company_contact.linked"
    contact_id: UUID
    company_id: UUID
    company_name: str
    role: str


class CompanyContactUnlinked(ContactsEvent):
    event_type: ClassVar[str] = "kring.contacts.company_contact.unlinked"
    contact_id: UUID
    company_id: UUID
    company_name: str
    reason: Literal["removed", "company_deleted", "contact_deleted"]


# State topics: the latest snapshot per aggregate, compacted (see docs/state-topics.md). The
# envelope's `subject` is the aggregate id and its `sequence` the aggregate's sequence on
# `kring.contacts.v1` when the snapshot was taken: a subscriber skips change events up to it.
# A deleted, erased or merged contact and a deleted group become a tombstone (null value).


class FamilyLink(BaseModel):
    model_config = ConfigDict(frozen=True)

    family_id: UUID
    role: FamilyRole


class CompanyLink(BaseModel):
    model_config = ConfigDict(frozen=True)

    company_id: UUID
    role: str


class ContactState(EventPayload):
    """A live contact as its events so far tell it: details, groups, family and companies —
    everything its sequence on `kring.contacts.v1` covers. Group names are on the groups'
    own state topic (renaming a group is not in the contact's sequence)."""

    topic: ClassVar[str] = CONTACT_STATE_TOPIC
    event_type: ClassVar[str] = "kring.contacts.contact.state"
    contact_id: UUID
    contact: ContactDetails
    group_ids: list[UUID]
    family: FamilyLink | None = None
    companies: list[CompanyLink]


class GroupState(EventPayload):
    """A live group. Its members are the contacts whose `group_ids` hold it."""

    topic: ClassVar[str] = GROUP_STATE_TOPIC
    event_type: ClassVar[str] = "kring.contacts.group.state"
    group_id: UUID
    name: str


class FamilyState(EventPayload):
    """A family. Its members are the contacts whose `family` names it."""

    topic: ClassVar[str] = FAMILY_STATE_TOPIC
    event_type: ClassVar[str] = "kring.contacts.family.state"
    family_id: UUID
    name: str
    address: Address


class CompanyState(EventPayload):
    """A company. Its contacts are those whose `companies` name it."""

    topic: ClassVar[str] = COMPANY_STATE_TOPIC
    event_type: ClassVar[str] = "kring.contacts.company.state"
    company_id: UUID
    name: str
    vat_number: str | None
