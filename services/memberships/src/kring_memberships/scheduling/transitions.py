"""Announcing the dates that passed: `membership.activated` when the start date arrives,
`membership.ended` the day after the end date, each exactly once.

The one path for the scheduler and for API changes that take effect at once (a membership
entered with a start today or earlier, an end set in the past): the caller holds the
membership's row lock, and the flag (`activated_at`, `ended_at`) is set in the transaction
that records the event, so neither a second replica nor a restart announces it again.
"""

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime

from kring_contracts.memberships import MembershipsEvent
from kring_memberships.db_models import Membership
from kring_memberships.memberships import membership_events
from kring_memberships.memberships.timeline import due_transitions
from kring_platform.unit_of_work import UnitOfWork


async def settle(
    work: UnitOfWork, memberships: Iterable[Membership], today: date
) -> set[uuid.UUID]:
    """Records what is due on `today` for these locked memberships; the contacts whose
    access may have moved."""
    now = datetime.now(UTC)
    touched: set[uuid.UUID] = set()
    for membership in memberships:
        if membership.deleted_at is not None:
            continue
        due = due_transitions(
            membership.start_date,
            membership.end_date,
            activated=membership.activated_at is not None,
            ended=membership.ended_at is not None,
            today=today,
        )
        for transition in due:
            payload: MembershipsEvent
            if transition == "activated":
                membership.activated_at = now
                payload = membership_events.activated(membership)
            else:
                membership.ended_at = now
                payload = membership_events.ended(membership)
            await membership_events.record(work, membership, payload)
            touched.add(membership.contact_id)
    return touched
