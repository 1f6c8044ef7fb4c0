"""The gateway's own API shapes (its tables live apart, in db_models)."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from kring_gateway.logins.passwords import MAX_LENGTH, MIN_LENGTH
from kring_gateway.roles import Role
from kring_platform.validation import refuse_nul


def _lowercase(value: str) -> str:
    return value.lower()


Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$"
    ),
    AfterValidator(refuse_nul),
    AfterValidator(_lowercase),
]
# Checked for length only when logging in (an old password may predate today's rules).
GivenPassword = Annotated[str, StringConstraints(min_length=1, max_length=MAX_LENGTH)]
NewPassword = Annotated[
    str,
    StringConstraints(min_length=MIN_LENGTH, max_length=MAX_LENGTH),
    AfterValidator(refuse_nul),
]
RefreshToken = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class LoginRequest(BaseModel):
    email: Email
    password: GivenPassword
    use_cookie: bool = Field(
        default=False,
        description=(
            "A browser: keep the refresh token in the HttpOnly cookie kring_refresh (and a "
            "CSRF value in the cookie kring_csrf) instead of the answer"
        ),
    )


class RefreshRequest(BaseModel):
    refresh_token: RefreshToken | None = Field(
        default=None,
        description=(
            "Without it the kring_refresh cookie is used, and the X-CSRF-Token header must "
            "repeat the kring_csrf cookie"
        ),
    )


class TokenPair(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds the access token is valid")
    refresh_token: str | None = Field(
        description=(
            "Use once at /api/v1/auth/refresh; then a new one. Null when it is kept in the "
            "kring_refresh cookie"
        )
    )


class PasswordChange(BaseModel):
    current_password: GivenPassword
    new_password: NewPassword


class PasswordReset(BaseModel):
    new_password: NewPassword


class Me(BaseModel):
    user_id: str
    email: str
    roles: list[Role]
    contact_id: uuid.UUID | None
    allowed: list[str] = Field(
        description=(
            'The routes the caller may call, as "METHOD template" exactly as in the policy, '
            'e.g. "GET /api/v1/contacts/contacts/{contact_id}" (a member: on their own objects)'
        )
    )


class UserCreate(BaseModel):
    email: Email
    password: NewPassword
    roles: list[Role] = Field(min_length=1, max_length=len(Role))
    contact_id: uuid.UUID | None = Field(
        default=None, description="Required for (and only for) a member login"
    )


class UserUpdate(BaseModel):
    roles: list[Role] | None = Field(default=None, min_length=1, max_length=len(Role))
    contact_id: uuid.UUID | None = None
    active: bool | None = None
    unlock: bool = Field(default=False, description="Clear failed logins and a lock")


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    roles: list[Role]
    contact_id: uuid.UUID | None
    active: bool
    locked_until: datetime | None
    created_at: datetime


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    user_id: str | None
    roles: list[str]
    method: str
    route: str
    object_id: str | None
    status: int
    request_id: str


# --- invitations and forgot-password -------------------------------------------------------

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
LinkToken = Annotated[str, StringConstraints(min_length=1, max_length=200)]


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


class PasswordResetRequestIn(BaseModel):
    email: Email


class PasswordResetAccepted(BaseModel):
    detail: str = (
        "If a login with this e-mail exists, a mail with a link to choose a new password is "
        "on its way."
    )


class PasswordResetComplete(BaseModel):
    new_password: NewPassword
