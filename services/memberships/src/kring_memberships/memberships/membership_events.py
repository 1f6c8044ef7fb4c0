"""The events of one membership, recorded in the unit of work beside the change.

Subject: the membership id, with its `version` as the sequence (callers hold the row lock,
so it follows commit order). Key: the contact id, so all of a contact's memberships stay in
order in one partition.
"""

from typing import TypeVar

from kring_contracts.memberships import (
    EndReason,
    MembershipActivated,
    MembershipDeleted,
    MembershipEnded,
    MembershipEndSet,
    MembershipRegistered,
    MembershipsEvent,
)
from kring_memberships.db_models import Membership
from kring_platform.schemas import model_of
from kring_platform.unit_of_work import UnitOfWork

MembershipEvent = TypeVar("MembershipEvent", bound=MembershipsEvent)


async def record(work: UnitOfWork, membership: Membership, payload: MembershipsEvent) -> None:
    """Keyed by the contact, not the membership: the one rule every membership event shares."""
    await work.record(membership, payload, aggregate_type="membership", key=membership.contact_id)


def registered(membership: Membership) -> MembershipRegistered:
    return _event(MembershipRegistered, membership)


def activated(membership: Membership) -> MembershipActivated:
    return _event(MembershipActivated, membership)


def end_set(membership: Membership) -> MembershipEndSet:
    return _event(MembershipEndSet, membership, reason=end_reason(membership))


def ended(membership: Membership) -> MembershipEnded:
    return _event(MembershipEnded, membership, reason=end_reason(membership))


def deleted(membership: Membership) -> MembershipDeleted:
    return _event(MembershipDeleted, membership)


def _event(
    event_type: type[MembershipEvent], membership: Membership, **derived: object
) -> MembershipEvent:
    """`membership_id` is the row's id; the event's other fields are its columns of the same
    name, but for those `derived`."""
    return model_of(event_type, membership, membership_id=membership.id, **derived)


def end_reason(membership: Membership) -> EndReason:
    reason: EndReason = membership.end_reason or "term_over"  # type: ignore[assignment]
    return reason
