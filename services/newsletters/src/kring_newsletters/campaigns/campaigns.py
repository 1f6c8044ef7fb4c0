"""Campaigns: composing, scheduling, sending now, cancelling, and what they achieved.

A campaign is a draft until scheduled; "send now" schedules it for now. The sender
(sending/sender.py) starts due campaigns, which resolves their audience, and delivers them.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kring_newsletters.campaigns.audiences import Audience, count_recipients
from kring_newsletters.campaigns.mail_messages import CampaignContent
from kring_newsletters.campaigns.personalisation import TemplateError
from kring_newsletters.campaigns.schemas import (
    AudienceSize,
    AudienceSpec,
    CampaignReport,
    CampaignSummary,
    CampaignView,
    DeliveryView,
    NewCampaign,
)
from kring_newsletters.db_models import Campaign, Delivery, MailingList
from kring_platform.db import Database
from kring_platform.metrics import CAMPAIGN_FAILED, CAMPAIGN_RECIPIENTS, CAMPAIGN_SENT, Series
from kring_platform.paging import Page
from kring_platform.problems import Conflict, InvalidInput, NotFound

# Only these may still change; "sending" may only be cancelled.
_NOT_STARTED = ("draft", "scheduled")


def content_of(campaign: Campaign) -> CampaignContent:
    return CampaignContent.of(campaign.subject, campaign.html_body)


async def create_campaign(session: AsyncSession, body: NewCampaign) -> CampaignView:
    try:
        CampaignContent.of(body.subject, body.html_body)
    except TemplateError as exc:
        raise InvalidInput(f"The message has a bad placeholder: {exc}") from exc
    audience = body.audience
    if not (audience.list_ids or audience.contact_ids or audience.family_ids):
        raise InvalidInput("The audience is empty: give lists, contacts or families.")
    await _check_lists(session, audience.list_ids)
    campaign = Campaign(
        id=uuid.uuid4(),
        subject=body.subject,
        html_body=body.html_body,
        audience=Audience(
            list_ids=list(dict.fromkeys(audience.list_ids)),
            contact_ids=list(dict.fromkeys(audience.contact_ids)),
            family_ids=list(dict.fromkeys(audience.family_ids)),
        ).stored(),
        status="draft",
    )
    session.add(campaign)
    await session.flush()
    await session.refresh(campaign)
    return await view(session, campaign)


async def get_campaign(session: AsyncSession, campaign_id: uuid.UUID) -> CampaignView:
    return await view(session, await _campaign(session, campaign_id))


async def campaigns_page(
    session: AsyncSession, *, limit: int, offset: int
) -> Page[CampaignSummary]:
    total = await session.scalar(select(func.count()).select_from(Campaign))
    rows = await session.scalars(
        select(Campaign)
        .order_by(Campaign.created_at.desc(), Campaign.id)
        .limit(limit)
        .offset(offset)
    )
    items = [
        CampaignSummary(
            id=c.id, subject=c.subject, status=c.status, send_at=c.send_at, created_at=c.created_at
        )
        for c in rows
    ]
    return Page(items=items, total=total or 0, limit=limit, offset=offset)


async def schedule(
    session: AsyncSession, campaign_id: uuid.UUID, send_at: datetime
) -> CampaignView:
    """Sends the campaign at `send_at` (now or in the past: at once)."""
    campaign = await _campaign(session, campaign_id, lock=True)
    if campaign.status not in _NOT_STARTED:
        raise Conflict(
            f"The campaign is {campaign.status}; only a draft or scheduled one can be scheduled.",
            campaign_status=campaign.status,
        )
    campaign.status = "scheduled"
    campaign.send_at = send_at
    return await view(session, campaign)


async def send_now(session: AsyncSession, campaign_id: uuid.UUID) -> CampaignView:
    return await schedule(session, campaign_id, datetime.now(UTC))


async def cancel(session: AsyncSession, campaign_id: uuid.UUID) -> CampaignView:
    """Cancels a campaign not sent yet; while sending, the mails not sent yet are dropped."""
    campaign = await _campaign(session, campaign_id, lock=True)
    if campaign.status in ("sent", "cancelled"):
        raise Conflict(
            f"The campaign is already {campaign.status}.", campaign_status=campaign.status
        )
    if campaign.status == "sending":
        await session.execute(
            update(Delivery)
            .where(Delivery.campaign_id == campaign.id, Delivery.status == "queued")
            .values(status="cancelled", reason="campaign cancelled")
        )
    campaign.status = "cancelled"
    campaign.finished_at = datetime.now(UTC)
    return await view(session, campaign)


async def audience_size(session: AsyncSession, campaign_id: uuid.UUID) -> AudienceSize:
    """How many the campaign reaches if sent now (resolved again when it is sent)."""
    campaign = await _campaign(session, campaign_id)
    return AudienceSize(recipients=await count_recipients(session, Audience.of(campaign.audience)))


async def report(session: AsyncSession, campaign: Campaign) -> CampaignReport:
    counts = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(Delivery.status == "queued"),
                func.count().filter(Delivery.status == "sent"),
                func.count().filter(Delivery.status == "failed"),
                func.count().filter(Delivery.bounced_at.is_not(None)),
                func.count().filter(Delivery.unsubscribed_at.is_not(None)),
            ).where(Delivery.campaign_id == campaign.id)
        )
    ).one()
    recipients, queued, sent, failed, bounced, unsubscribed = (int(n) for n in counts)
    if campaign.status == "sent":
        progress = 1.0
    else:
        progress = (sent + failed) / recipients if recipients else 0.0
    return CampaignReport(
        status=campaign.status,
        recipients=recipients,
        queued=queued,
        sent=sent,
        failed=failed,
        bounced=bounced,
        unsubscribed=unsubscribed,
        progress=round(progress, 4),
    )


async def deliveries_page(
    session: AsyncSession,
    campaign_id: uuid.UUID,
    *,
    status: str | None,
    limit: int,
    offset: int,
) -> Page[DeliveryView]:
    await _campaign(session, campaign_id)
    where = [Delivery.campaign_id == campaign_id]
    if status is not None:
        where.append(Delivery.status == status)
    total = await session.scalar(select(func.count()).select_from(Delivery).where(*where))
    rows = await session.scalars(
        select(Delivery).where(*where).order_by(Delivery.email).limit(limit).offset(offset)
    )
    items = [DeliveryView.model_validate(row, from_attributes=True) for row in rows]
    return Page(items=items, total=total or 0, limit=limit, offset=offset)


async def view(session: AsyncSession, campaign: Campaign) -> CampaignView:
    return CampaignView(
        id=campaign.id,
        subject=campaign.subject,
        html_body=campaign.html_body,
        audience=AudienceSpec.model_validate(campaign.audience),
        status=campaign.status,
        send_at=campaign.send_at,
        created_at=campaign.created_at,
        started_at=campaign.started_at,
        finished_at=campaign.finished_at,
        report=await report(session, campaign),
    )


async def get_campaign_row(session: AsyncSession, campaign_id: uuid.UUID) -> Campaign:
    return await _campaign(session, campaign_id)


async def _campaign(
    session: AsyncSession, campaign_id: uuid.UUID, *, lock: bool = False
) -> Campaign:
    query = select(Campaign).where(Campaign.id == campaign_id)
    if lock:
        query = query.with_for_update()
    campaign: Campaign | None = await session.scalar(
        query.execution_options(populate_existing=True)
    )
    if campaign is None:
        raise NotFound(f"Campaign {campaign_id} does not exist.", campaign_id=str(campaign_id))
    return campaign


async def _check_lists(session: AsyncSession, list_ids: list[uuid.UUID]) -> None:
    if not list_ids:
        return
    live = set(
        await session.scalars(
            select(MailingList.id).where(
                MailingList.id.in_(list_ids), MailingList.deleted_at.is_(None)
            )
        )
    )
    missing = [str(i) for i in list_ids if i not in live]
    if missing:
        raise InvalidInput(f"No such mailing list: {', '.join(missing)}.", list_ids=missing)


class SendProgressMetrics:
    """`kring_newsletter_campaign_*` at scrape time for the campaigns being sent, from the
    same counts as a campaign's report (only those in progress: bounded labels)."""

    def __init__(self, service: str, database: Database) -> None:
        self.service = service
        self.database = database
        self.recipients = Series(CAMPAIGN_RECIPIENTS)
        self.sent = Series(CAMPAIGN_SENT)
        self.failed = Series(CAMPAIGN_FAILED)

    async def __call__(self) -> None:
        async with self.database.transaction() as session:
            sending = await session.scalars(
                select(Campaign).where(Campaign.status == "sending").limit(20)
            )
            reports = [(c.id, await report(session, c)) for c in sending.all()]
        self.recipients.replace({(self.service, str(i)): r.recipients for i, r in reports})
        self.sent.replace({(self.service, str(i)): r.sent for i, r in reports})
        self.failed.replace({(self.service, str(i)): r.failed for i, r in reports})
