"""Kafka on the test's side: `kring.memberships.v1` events produced the way the memberships
service publishes them (source, per-subject sequence, Kafka key), for the consumer to apply."""

import uuid
from datetime import date

from kring_contracts import Envelope
from kring_contracts.memberships import (
    EndReason,
    MembershipActivated,
    MembershipDeleted,
    MembershipEnded,
    MembershipEndSet,
    MembershipRegistered,
    MembershipsEvent,
)
from kring_platform import testing


class MembershipsFeed(testing.MembershipsFeed):
    """Types named by their name alone; later events of a membership named by the envelope
    of its registration."""

    async def send_as(
        self, payload: MembershipsEvent, *, subject: uuid.UUID, key: uuid.UUID, sequence: int
    ) -> Envelope:
        """Sends with the sequence given, e.g. one already applied (a stale event)."""
        return await self.publish(payload, subject=subject, key=key, sequence=sequence)

    async def create_type(self, name: str, type_id: uuid.UUID | None = None) -> Envelope:
        return await self.type_created(testing.type_details(name), type_id=type_id)

    async def rename_type(self, type_id: uuid.UUID, name: str) -> Envelope:
        return await self.type_updated(type_id, testing.type_details(name), ["name"])

    async def activate(self, registered: Envelope) -> Envelope:
        about = MembershipRegistered.model_validate(registered.data)
        return await self.send(
            MembershipActivated(
                membership_id=about.membership_id,
                contact_id=about.contact_id,
                type_id=about.type_id,
                start_date=about.start_date,
            )
        )

    async def set_end(
        self, registered: Envelope, end_date: date, reason: EndReason = "resigned"
    ) -> Envelope:
        return await self._end_event(MembershipEndSet, registered, end_date, reason)

    async def end(
        self, registered: Envelope, end_date: date, reason: EndReason = "term_over"
    ) -> Envelope:
        return await self._end_event(MembershipEnded, registered, end_date, reason)

    async def _end_event(
        self,
        event: type[MembershipEndSet | MembershipEnded],
        registered: Envelope,
        end_date: date,
        reason: EndReason,
    ) -> Envelope:
        """An end of the registered membership: set ahead, or reached."""
        about = MembershipRegistered.model_validate(registered.data)
        return await self.send(
            event(
                membership_id=about.membership_id,
                contact_id=about.contact_id,
                type_id=about.type_id,
                end_date=end_date,
                reason=reason,
            )
        )

    async def delete(self, registered: Envelope) -> Envelope:
        about = MembershipRegistered.model_validate(registered.data)
        return await self.send(
            MembershipDeleted(membership_id=about.membership_id, contact_id=about.contact_id)
        )
