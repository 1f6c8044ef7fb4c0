"""The invitations' API bodies."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kring_gateway.schemas import Email, NewPassword

InvitationState = Literal["open", "accepted", "expired", "revoked"]
SkipReason = Literal[
    "not_found",
    "no_email",
    "has_login",
    "already_member",
    "rate_limited",
    "unavailable",
    "mail_failed",
]


class InvitationCreate(BaseModel):
    contact_id: uuid.UUID
    email: Email | None = Field(
        default=None, description="Where the mail goes; by default the contact's first e-mail"
    )


class InvitationBulkCreate(BaseModel):
    contact_ids: list[uuid.UUID] = Field(
        min_length=1, max_length=10000, description="E.g. a search result's ids"
    )


class InvitationOut(BaseModel):
    # Read from the Invitation row, whose `state` property tells the state.
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    contact_id: uuid.UUID
    email: str
    state: InvitationState
    invited_by: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    user_id: uuid.UUID | None = Field(description="The member login made on acceptance")
    revoked_at: datetime | None
    revoked_reason: str | None = Field(
        description="reinvited, revoked (by staff), erased (the contact) or mail_failed"
    )


class InvitationResult(BaseModel):
    contact_id: uuid.UUID
    status: Literal["invited", "skipped"]
    reason: SkipReason | None = None
    invitation_id: uuid.UUID | None = None


class InvitationBulkResult(BaseModel):
    invited: int
    skipped: int
    results: list[InvitationResult]


class InvitationPreview(BaseModel):
    """What the invitation page shows before a password is chosen: nothing more."""

    state: Literal["open"]
    first_name: str | None = Field(description="Null when the contacts service is unavailable")


class InvitationAccept(BaseModel):
    password: NewPassword
    use_cookie: bool = Field(
        default=False,
        description="A browser: the refresh token in cookies, as with /api/v1/auth/login",
    )
