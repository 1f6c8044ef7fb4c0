"""What a contact's erasure (`contact.erased`) does here: the contact loses its
subscriptions (their flags stay, without personal values) and every copy of its values
goes: the name and address in the read model, the address, personalisation fields and
SMTP reason of each delivery made to it (the delivery itself stays, so a campaign's counts
stay true; one still queued is cancelled with the reason "contact erased", so no sender
tries it), its bounce records and the bounce reports seen for its addresses, and the
address in the payloads of bounce events still kept in the outbox (published ones are
deleted after `relay_keep_published_s` anyway; what Kafka already holds ages out with the
topic's retention).
"""

import uuid

from sqlalchemy import delete, or_, select, text

from kring_newsletters.db_models import BouncingAddress, Contact, Delivery, SeenBounceReport
from kring_newsletters.group_sync import group_sync
from kring_platform.unit_of_work import UnitOfWork

# (campaign, email) is unique: each erased delivery gets a placeholder of its own. A
# claimed one loses its claim too; its sender re-checks the status before each mail.
_ERASE_DELIVERIES = text(
    """
    UPDATE deliveries
    SET email = 'erased:' || id::text, fields = '{}'::jsonb,
        reason = CASE WHEN status = 'queued' THEN 'contact erased' END,
        status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
        claimed_by = NULL, claimed_until = NULL
    WHERE contact_id = :contact_id
    """
)

_ERASE_OUTBOX_ADDRESSES = text(
    """
    UPDATE outbox
    SET payload = jsonb_set(jsonb_set(payload, '{data,email}', '""'), '{subject}', '""'),
        aggregateid = 'erased', messagekey = 'erased'
    WHERE payload->'data' ? 'email'
      AND (payload->'data'->>'contact_id' = :contact_id
           OR lower(payload->'data'->>'email') = ANY(CAST(:emails AS text[])))
    """
)


async def contact_erased(work: UnitOfWork, contact_id: uuid.UUID) -> None:
    session = work.session
    contact = await session.get(Contact, contact_id)
    emails = {contact.email.lower()} if contact is not None and contact.email else set()
    emails |= {
        email.lower()
        for email in await session.scalars(
            select(Delivery.email).where(Delivery.contact_id == contact_id)
        )
    }
    await group_sync.contact_deleted(work, contact_id=contact_id, erase=True)
    await session.execute(_ERASE_DELIVERIES, {"contact_id": contact_id})
    await session.execute(
        delete(BouncingAddress).where(
            or_(BouncingAddress.contact_id == contact_id, BouncingAddress.email.in_(emails))
        )
    )
    await session.execute(delete(SeenBounceReport).where(SeenBounceReport.email.in_(emails)))
    await session.execute(
        _ERASE_OUTBOX_ADDRESSES, {"contact_id": str(contact_id), "emails": sorted(emails)}
    )
