"""Member cards: the facts printed on a contact's card, looked up here and rendered by the
pure `cards` package; and the answer to a scanned card.

A card shows the membership active today (of the type asked, else the one that runs
longest). A scanned card is valid when its signature holds, its printed end has not passed,
and the contact still holds a membership today: a genuine card of a membership ended early
is not valid any more.
"""

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.access.access_rights import active_on
from kring_memberships.cards import (
    CardStatus,
    MemberCard,
    card_pdf,
    card_sheet_pdf,
    sign_card,
    verification_url,
    verify_card_token,
)
from kring_memberships.cards.schemas import CardCheck
from kring_memberships.db_models import Contact, Membership, MembershipType
from kring_memberships.settings import Settings
from kring_platform.problems import InvalidInput, NotFound


async def contact_card_pdf(
    session: AsyncSession,
    contact_id: uuid.UUID,
    *,
    type_id: uuid.UUID | None,
    today: date,
    settings: Settings,
) -> bytes:
    cards = await _cards(session, [contact_id], type_id=type_id, today=today, settings=settings)
    if contact_id not in cards:
        if await session.get(Contact, contact_id) is None:
            raise NotFound(f"Contact {contact_id} does not exist.", contact_id=str(contact_id))
        raise NotFound(
            f"Contact {contact_id} holds no membership today: there is no card to print.",
            contact_id=str(contact_id),
        )
    card = cards[contact_id]
    # Rendering takes tens of milliseconds of CPU: off the event loop.
    return await asyncio.to_thread(card_pdf, card, _url(card, settings))


async def sheet_pdf(
    session: AsyncSession, contact_ids: Sequence[uuid.UUID], *, today: date, settings: Settings
) -> bytes:
    """The cards of these contacts, in this order, on A4 sheets; refused (422, naming them)
    when some of them hold no membership today."""
    wanted = list(dict.fromkeys(contact_ids))
    cards = await _cards(session, wanted, type_id=None, today=today, settings=settings)
    missing = [contact_id for contact_id in wanted if contact_id not in cards]
    if missing:
        raise InvalidInput(
            f"{len(missing)} of the contacts hold no membership today.",
            contact_ids=[str(contact_id) for contact_id in missing],
        )
    printed = [(cards[contact_id], _url(cards[contact_id], settings)) for contact_id in wanted]
    return await asyncio.to_thread(card_sheet_pdf, printed)


async def check_card(
    session: AsyncSession, token: str, *, today: date, settings: Settings
) -> CardCheck:
    verification = verify_card_token(token, list(reversed(settings.card_secrets)), today=today)
    if verification.contact_id is None:
        return CardCheck(valid=False, status=verification.status, reason=verification.reason)
    answer = CardCheck(
        valid=verification.is_valid,
        status=verification.status,
        reason=verification.reason,
        contact_id=verification.contact_id,
        member_number=verification.member_number,
        valid_until=verification.valid_until,
    )
    cards = await _cards(
        session, [verification.contact_id], type_id=None, today=today, settings=settings
    )
    card = cards.get(verification.contact_id)
    if card is None:
        if verification.status is CardStatus.VALID:
            return answer.model_copy(
                update={
                    "valid": False,
                    "status": "no_membership",
                    "reason": "The card is genuine, but its holder is no member today.",
                }
            )
        return answer
    return answer.model_copy(
        update={"name": card.full_name, "membership_type": card.membership_type}
    )


async def _cards(
    session: AsyncSession,
    contact_ids: Sequence[uuid.UUID],
    *,
    type_id: uuid.UUID | None,
    today: date,
    settings: Settings,
) -> dict[uuid.UUID, MemberCard]:
    """Each contact's card for today, if it holds a membership (and is not deleted)."""
    query = (
        select(Membership, MembershipType.name, Contact.first_name, Contact.last_name)
        .join(MembershipType, MembershipType.id == Membership.type_id)
        .join(Contact, Contact.id == Membership.contact_id)
        .where(Membership.contact_id.in_(contact_ids), active_on(today), ~Contact.deleted)
        # The longest running first: an open end beats any date.
        .order_by(
            Membership.contact_id,
            Membership.end_date.desc().nulls_first(),
            Membership.start_date,
        )
    )
    if type_id is not None:
        query = query.where(Membership.type_id == type_id)
    cards: dict[uuid.UUID, MemberCard] = {}
    for membership, type_name, first_name, last_name in await session.execute(query):
        cards.setdefault(
            membership.contact_id,
            MemberCard(
                contact_id=membership.contact_id,
                full_name=f"{first_name} {last_name}".strip(),
                membership_type=type_name,
                member_number=membership.member_number,
                valid_until=membership.end_date,
                organisation_name=settings.organisation_name,
            ),
        )
    return cards


def _url(card: MemberCard, settings: Settings) -> str:
    token = sign_card(card, settings.card_secrets[0], issued_at=datetime.now(UTC))
    return verification_url(settings.card_verify_url, token)
