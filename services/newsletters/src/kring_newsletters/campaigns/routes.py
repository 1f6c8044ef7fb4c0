"""Campaigns: compose, preview, test, schedule or send now, cancel, follow the sending."""

import uuid
from typing import Literal

import aiosmtplib
from fastapi import APIRouter, status

from kring_newsletters.campaigns import campaigns, previews
from kring_newsletters.campaigns.schemas import (
    AudienceSize,
    CampaignSchedule,
    CampaignSummary,
    CampaignView,
    DeliveryView,
    NewCampaign,
    Preview,
    TestSend,
)
from kring_newsletters.sending.deps import SendingDep
from kring_platform.app import RuntimeDep
from kring_platform.mail import send_mail
from kring_platform.paging import Limit, Offset, Page
from kring_platform.problems import BadGateway


class MailServerUnavailable(BadGateway):
    title = "Mail server unavailable"


router = APIRouter(prefix="/campaigns", tags=["campaigns"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_campaign(body: NewCampaign, runtime: RuntimeDep) -> CampaignView:
    """A draft: subject and HTML body with `{{ field | default("…") }}` placeholders, and
    its audience (lists, contacts, families). The plain-text part is made from the HTML."""
    async with runtime.database.transaction() as session:
        return await campaigns.create_campaign(session, body)


@router.get("")
async def list_campaigns(
    runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[CampaignSummary]:
    """The campaigns, newest first."""
    async with runtime.database.transaction() as session:
        return await campaigns.campaigns_page(session, limit=limit, offset=offset)


@router.get("/{campaign_id}")
async def get_campaign(campaign_id: uuid.UUID, runtime: RuntimeDep) -> CampaignView:
    """The campaign with its report: recipients, sent, failed, bounced, unsubscribed."""
    async with runtime.database.transaction() as session:
        return await campaigns.get_campaign(session, campaign_id)


@router.get("/{campaign_id}/audience")
async def audience_size(campaign_id: uuid.UUID, runtime: RuntimeDep) -> AudienceSize:
    """How many distinct addresses the campaign reaches if sent now (after opt-outs,
    deleted contacts and bouncing addresses)."""
    async with runtime.database.transaction() as session:
        return await campaigns.audience_size(session, campaign_id)


@router.get("/{campaign_id}/preview")
async def preview(
    campaign_id: uuid.UUID, contact_id: uuid.UUID, runtime: RuntimeDep, sending: SendingDep
) -> Preview:
    """The mail as this contact would get it."""
    async with runtime.database.transaction() as session:
        return await previews.preview(
            session, campaign_id, contact_id, sending.links, sending.identity
        )


@router.post("/{campaign_id}/test", status_code=status.HTTP_202_ACCEPTED)
async def send_test(
    campaign_id: uuid.UUID, body: TestSend, runtime: RuntimeDep, sending: SendingDep
) -> dict[str, str]:
    """Sends the mail (as `contact_id` would get it) to one address, marked as a test."""
    async with runtime.database.transaction() as session:
        message = await previews.test_mail(
            session, campaign_id, body.contact_id, sending.links, sending.identity, to=body.email
        )
    try:
        await send_mail(sending.settings, message)
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise MailServerUnavailable(f"The mail server did not take the test mail: {exc}") from exc
    return {"sent_to": body.email, "message_id": str(message["Message-ID"])}


@router.post("/{campaign_id}/schedule")
async def schedule(
    campaign_id: uuid.UUID, body: CampaignSchedule, runtime: RuntimeDep, sending: SendingDep
) -> CampaignView:
    """Sends the campaign at `send_at`; recipients are resolved then."""
    async with runtime.database.transaction() as session:
        view = await campaigns.schedule(session, campaign_id, body.send_at)
    sending.sender.wake()
    return view


@router.post("/{campaign_id}/send", status_code=status.HTTP_202_ACCEPTED)
async def send_now(
    campaign_id: uuid.UUID, runtime: RuntimeDep, sending: SendingDep
) -> CampaignView:
    """Sends the campaign now; follow it with GET /campaigns/{id}."""
    async with runtime.database.transaction() as session:
        view = await campaigns.send_now(session, campaign_id)
    sending.sender.wake()
    return view


@router.post("/{campaign_id}/cancel")
async def cancel(campaign_id: uuid.UUID, runtime: RuntimeDep) -> CampaignView:
    """Cancels a draft or scheduled campaign; while sending, the mails not yet sent."""
    async with runtime.database.transaction() as session:
        return await campaigns.cancel(session, campaign_id)


@router.get("/{campaign_id}/deliveries")
async def deliveries(
    campaign_id: uuid.UUID,
    runtime: RuntimeDep,
    status: Literal["queued", "sent", "failed", "cancelled"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[DeliveryView]:
    """Per-recipient delivery records, by address."""
    async with runtime.database.transaction() as session:
        return await campaigns.deliveries_page(
            session, campaign_id, status=status, limit=limit, offset=offset
        )
