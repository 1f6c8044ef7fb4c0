"""`kring.memberships.v1` events produced the way the memberships service publishes them, for
the services that consume them."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from aiokafka import AIOKafkaProducer

from kring_contracts import MEMBERSHIPS_TOPIC, Envelope
from kring_contracts.memberships import (
    FeeVersion,
    MembershipRegistered,
    MembershipsEvent,
    MembershipTypeCreated,
    MembershipTypeDetails,
    MembershipTypeUpdated,
)

from .kafka import EnvelopeFeed


def type_details(name: str, **fields: Any) -> MembershipTypeDetails:
    """A yearly, seasonal type starting on 1 September with a fee of 120.00; `fields` override."""
    values: dict[str, Any] = {
        "name": name,
        "billing_period": "yearly",
        "period_start_month": 9,
        "period_start_day": 1,
        "term_kind": "seasonal",
        "fee_versions": [FeeVersion(amount=Decimal("120.00"), valid_from=date(2020, 1, 1))],
        **fields,
    }
    return MembershipTypeDetails(**values)


class MembershipsFeed(EnvelopeFeed):
    """Membership events have the membership as subject and the contact as key; type events
    have the type as both. Each subject's events are numbered from 1. A service's tests add
    the other membership events they need."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        super().__init__(producer, MEMBERSHIPS_TOPIC, "/kring/memberships")

    async def send(self, payload: MembershipsEvent) -> Envelope:
        membership_id = getattr(payload, "membership_id", None)
        if membership_id is None:
            return await self.publish(payload, subject=getattr(payload, "type_id"))  # noqa: B009
        return await self.publish(
            payload,
            subject=membership_id,
            key=getattr(payload, "contact_id"),  # noqa: B009
        )

    async def type_created(
        self, details: MembershipTypeDetails, *, type_id: uuid.UUID | None = None
    ) -> Envelope:
        return await self.send(
            MembershipTypeCreated(type_id=type_id or uuid.uuid4(), membership_type=details)
        )

    async def type_updated(
        self, type_id: uuid.UUID, details: MembershipTypeDetails, changed: list[str]
    ) -> Envelope:
        return await self.send(
            MembershipTypeUpdated(type_id=type_id, membership_type=details, changed_fields=changed)
        )

    async def register(
        self,
        contact_id: uuid.UUID,
        type_id: uuid.UUID,
        start: date,
        end: date | None = None,
        *,
        replaces: uuid.UUID | None = None,
        membership_id: uuid.UUID | None = None,
    ) -> Envelope:
        membership_id = membership_id or uuid.uuid4()
        return await self.send(
            MembershipRegistered(
                membership_id=membership_id,
                contact_id=contact_id,
                type_id=type_id,
                start_date=start,
                end_date=end,
                member_number=f"M{membership_id.hex[:6]}",
                replaces=replaces,
            )
        )
