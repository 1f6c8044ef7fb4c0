"""The gateway's own API shapes for logins and users, and the fields other features' bodies
share (e-mail, passwords, a link's token); the audit, invitations and forgot password keep
their bodies in their feature (`*/schemas.py`). Its tables live apart, in db_models."""

import uuid
from datetime import datetime
from typing import Annotated

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


# The token of a mailed link (invitations, forgot password) in a path.
LinkToken = Annotated[str, StringConstraints(min_length=1, max_length=200)]
