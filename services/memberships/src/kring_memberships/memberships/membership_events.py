"""The events of one membership, recorded in the unit of work beside the change.

Subject: the membership id, with its `version` as the sequence (callers hold the row lock,
so it follows commit order). Key: the contact id, so all of a contact's memberships stay in
order in one partition.
"""

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
from kring_platform.unit_of_work import UnitOfWork


async def record(work: UnitOfWork, membership: Membership, payload: MembershipsEvent) -> None:
    """Keyed by the contact, not the membership: the one rule every membership event shares."""
    await work.record(membership, payload, aggregate_type="membership", key=membership.contact_id)


def registered(membership: Membership) -> MembershipRegistered:
    return MembershipRegistered(
        membership_id=membership.id,
        contact_id=membership.contact_id,
        type_id=membership.type_id,
        start_date=membership.start_date,
        end_date=membership.end_date,
        member_number=membership.member_number,
        replaces=membership.replaces,
    )


def activated(membership: Membership) -> MembershipActivated:
    return MembershipActivated(
        membership_id=membership.id,
        contact_id=membership.contact_id,
        type_id=membership.type_id,
        start_date=membership.start_date,
    )


def end_set(membership: Membership) -> MembershipEndSet:
    assert membership.end_date is not None
    return MembershipEndSet(
        membership_id=membership.id,
        contact_id=membership.contact_id,
        type_id=membership.type_id,
        end_date=membership.end_date,
        reason=end_reason(membership),
    )


def ended(membership: Membership) -> MembershipEnded:
    assert membership.end_date is not None
    return MembershipEnded(
        membership_id=membership.id,
        contact_id=membership.contact_id,
        type_id=membership.type_id,
        end_date=membership.end_date,
        reason=end_reason(membership),
    )


def deleted(membership: Membership) -> MembershipDeleted:
    return MembershipDeleted(membership_id=membership.id, contact_id=membership.contact_id)


def end_reason(membership: Membership) -> EndReason:
    reason: EndReason = membership.end_reason or "term_over"  # type: ignore[assignment]
    return reason
