"""Bounce counts per address, and the `bouncing` mark that keeps an address out of every
send: set after one hard bounce or `soft_bounce_threshold` soft ones, published as
`EmailAddressBouncing`; cleared by the secretary (`EmailAddressCleared`). Each address's
events are sequenced by its row's `version` and keyed by the address. A report posted
again (same report Message-ID or, lacking one, same bounced mail and recipient) counts
nothing: its recipients are recorded in `seen_bounce_reports` with the counts."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts.newsletters import EmailAddressBouncing, EmailAddressCleared
from kring_newsletters.bounces.reports import DeliveryReport, RecipientBounce
from kring_newsletters.bounces.schemas import BounceOutcome, BouncingAddressView
from kring_newsletters.campaigns.mail_messages import delivery_of_message_id
from kring_newsletters.db_models import BouncingAddress, Contact, Delivery, SeenBounceReport
from kring_platform.paging import Page
from kring_platform.problems import NotFound
from kring_platform.unit_of_work import UnitOfWork

ADDRESS_AGGREGATE = "email_address"


async def record_report(
    work: UnitOfWork, report: DeliveryReport, *, soft_threshold: int
) -> list[BounceOutcome]:
    delivery = await _delivery(work, report.original_message_id)
    outcomes = []
    for bounce in sorted(report.bounces, key=lambda b: b.email):  # lock order: by address
        of_delivery = delivery is not None and delivery.email.lower() == bounce.email
        if of_delivery and delivery is not None and delivery.bounced_at is None:
            delivery.bounced_at = datetime.now(UTC)
        contact_id = delivery.contact_id if of_delivery and delivery else None
        now_bouncing = await _first_sighting(work.session, report, bounce.email) and await _count(
            work, bounce, contact_id, soft_threshold
        )
        outcomes.append(
            BounceOutcome(
                email=bounce.email,
                kind=bounce.kind,
                status=bounce.status,
                now_bouncing=now_bouncing,
                delivery_id=delivery.id if of_delivery and delivery else None,
            )
        )
    return outcomes


async def clear(work: UnitOfWork, email: str) -> BouncingAddressView:
    """The address is deliverable again: counts start over."""
    address = await work.lock(BouncingAddress, BouncingAddress.email == email.lower())
    if address is None:
        raise NotFound(f"No bounces are known for {email}.", email=email)
    if address.bouncing:
        await work.record(
            address,
            EmailAddressCleared(email=address.email, contact_id=address.contact_id),
            aggregate_type=ADDRESS_AGGREGATE,
        )
    address.bouncing = False
    address.hard_bounces = 0
    address.soft_bounces = 0
    address.kind = None
    return _view(address)


async def get(session: AsyncSession, email: str) -> BouncingAddressView:
    address = await session.get(BouncingAddress, email.lower())
    if address is None:
        raise NotFound(f"No bounces are known for {email}.", email=email)
    return _view(address)


async def bouncing_page(
    session: AsyncSession, *, limit: int, offset: int
) -> Page[BouncingAddressView]:
    where = BouncingAddress.bouncing
    total = await session.scalar(select(func.count()).select_from(BouncingAddress).where(where))
    rows = await session.scalars(
        select(BouncingAddress)
        .where(where)
        .order_by(BouncingAddress.email)
        .limit(limit)
        .offset(offset)
    )
    return Page(items=[_view(a) for a in rows], total=total or 0, limit=limit, offset=offset)


async def _count(
    work: UnitOfWork, bounce: RecipientBounce, contact_id: uuid.UUID | None, soft_threshold: int
) -> bool:
    """Counts the bounce; True when it made the address bouncing just now."""
    await work.session.execute(
        insert(BouncingAddress).values(email=bounce.email).on_conflict_do_nothing()
    )
    address = await work.lock(BouncingAddress, BouncingAddress.email == bounce.email)
    assert address is not None
    if contact_id is None and address.contact_id is None:
        contact_id = await work.session.scalar(
            select(Contact.id).where(func.lower(Contact.email) == bounce.email).limit(1)
        )
    if contact_id is not None:
        address.contact_id = contact_id
    if bounce.kind == "hard":
        address.hard_bounces += 1
    else:
        address.soft_bounces += 1
    address.last_bounce_at = datetime.now(UTC)
    address.reason = f"{bounce.status} {bounce.diagnostic}".strip()
    due = address.hard_bounces >= 1 or address.soft_bounces >= soft_threshold
    if address.bouncing or not due:
        return False
    address.bouncing = True
    address.kind = "hard" if address.hard_bounces else "soft"
    await work.record(
        address,
        EmailAddressBouncing(
            email=address.email,
            contact_id=address.contact_id,
            kind="hard" if address.hard_bounces else "soft",
            bounces=address.hard_bounces + address.soft_bounces,
            reason=address.reason,
        ),
        aggregate_type=ADDRESS_AGGREGATE,
    )
    return True


def _report_key(report: DeliveryReport) -> str | None:
    if report.message_id:
        return f"report {report.message_id}"
    if report.original_message_id:
        return f"original {report.original_message_id}"
    return None  # nothing tells one report from another: each counts


async def _first_sighting(session: AsyncSession, report: DeliveryReport, email: str) -> bool:
    """Records the report's bounce for `email`; False when it was recorded before. A
    concurrent twin waits on the key until this transaction ends, then sees it."""
    key = _report_key(report)
    if key is None:
        return True
    recorded = await session.scalar(
        insert(SeenBounceReport)
        .values(report_key=key, email=email)
        .on_conflict_do_nothing()
        .returning(SeenBounceReport.email)
    )
    return recorded is not None


async def _delivery(work: UnitOfWork, message_id: str | None) -> Delivery | None:
    delivery_id = delivery_of_message_id(message_id) if message_id else None
    if delivery_id is None:
        return None
    return await work.lock(Delivery, Delivery.id == delivery_id)


def _view(address: BouncingAddress) -> BouncingAddressView:
    return BouncingAddressView.model_validate(address, from_attributes=True)
