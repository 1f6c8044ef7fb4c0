"""The API's bodies for campaigns, their audiences, reports, previews, test mails and
deliveries."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, StringConstraints

from kring_newsletters.schemas import Command
from kring_platform.validation import ShortText, line_constraints, refuse_nul

HtmlBody = Annotated[
    str, StringConstraints(min_length=1, max_length=500_000), AfterValidator(refuse_nul)
]
EmailAddress = Annotated[
    str,
    line_constraints(254, pattern=r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$"),
    AfterValidator(refuse_nul),
]
CampaignStatus = Literal["draft", "scheduled", "sending", "sent", "cancelled"]


class AudienceSpec(Command):
    """Any mix of lists, explicit contacts (e.g. a contacts search) and families."""

    list_ids: list[uuid.UUID] = Field(default=[], max_length=100)
    contact_ids: list[uuid.UUID] = Field(default=[], max_length=100_000)
    family_ids: list[uuid.UUID] = Field(default=[], max_length=100_000)


class NewCampaign(Command):
    subject: ShortText
    html_body: HtmlBody
    audience: AudienceSpec


class CampaignSchedule(Command):
    send_at: AwareDatetime


class TestSend(Command):
    email: EmailAddress
    # Whose fields fill the placeholders; without one they take their defaults.
    contact_id: uuid.UUID | None = None


class AudienceSize(BaseModel):
    recipients: int


class CampaignReport(BaseModel):
    status: CampaignStatus
    recipients: int
    queued: int
    sent: int
    failed: int
    bounced: int
    unsubscribed: int
    # Share of recipients dealt with (sent or failed), 0..1; 1 once sent.
    progress: float


class CampaignView(BaseModel):
    id: uuid.UUID
    subject: str
    html_body: str
    audience: AudienceSpec
    status: CampaignStatus
    send_at: datetime | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    report: CampaignReport


class CampaignSummary(BaseModel):
    id: uuid.UUID
    subject: str
    status: CampaignStatus
    send_at: datetime | None
    created_at: datetime


class Preview(BaseModel):
    to: str
    subject: str
    html: str
    text: str
    unsubscribe_url: str | None


class DeliveryView(BaseModel):
    id: uuid.UUID
    contact_id: uuid.UUID
    email: str
    list_id: uuid.UUID | None
    status: Literal["queued", "sent", "failed", "cancelled"]
    attempts: int
    reason: str | None
    sent_at: datetime | None
    bounced_at: datetime | None
    unsubscribed_at: datetime | None
