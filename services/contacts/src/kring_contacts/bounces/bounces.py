"""Bouncing e-mail addresses, from `kring.newsletters.v1`: the newsletters service tells when
mail to an address bounces and when it is cleared; a contact shows its addresses that bounce.

The read model is keyed by the address (the events' subject): a bounce belongs to the
mailbox, so it shows on whichever contact has that address, now or later.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.bounces.models import BouncingAddress
from kring_contracts import Envelope
from kring_contracts.newsletters import EmailAddressBouncing, EmailAddressCleared
from kring_platform.handlers import EventHandlers
from kring_platform.unit_of_work import UnitOfWork


async def save_bouncing(
    session: AsyncSession, event: EmailAddressBouncing, envelope: Envelope
) -> None:
    values = {
        "email": event.email.lower(),
        "contact_id": event.contact_id,
        "kind": event.kind,
        "bounces": event.bounces,
        "reason": event.reason,
        "since": envelope.time,
        "updated_at": datetime.now(UTC),
    }
    statement = insert(BouncingAddress).values(**values)
    # A later bounce of an address already bouncing updates the count, not the start.
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[BouncingAddress.email],
            set_={
                name: statement.excluded[name]
                for name in ("contact_id", "kind", "bounces", "reason", "updated_at")
            },
        )
    )


async def clear(session: AsyncSession, event: EmailAddressCleared) -> None:
    await session.execute(
        delete(BouncingAddress).where(BouncingAddress.email == event.email.lower())
    )


async def bouncing_of(session: AsyncSession, emails: Sequence[str]) -> list[BouncingAddress]:
    """Which of these addresses bounce, in the order given."""
    if not emails:
        return []
    rows = await session.scalars(
        select(BouncingAddress).where(BouncingAddress.email.in_(list(emails)))
    )
    found = {row.email: row for row in rows}
    return [found[email] for email in emails if email in found]


def register_bounce_handlers(handlers: EventHandlers) -> None:
    @handlers.on(EmailAddressBouncing)
    async def bouncing(work: UnitOfWork, event: EmailAddressBouncing, envelope: Envelope) -> None:
        await save_bouncing(work.session, event, envelope)

    @handlers.on(EmailAddressCleared)
    async def cleared(work: UnitOfWork, event: EmailAddressCleared, _: Envelope) -> None:
        await clear(work.session, event)
