"""Forgot password's API bodies."""

from pydantic import BaseModel

from kring_gateway.schemas import Email, NewPassword


class PasswordResetRequestIn(BaseModel):
    email: Email


class PasswordResetAccepted(BaseModel):
    detail: str = (
        "If a login with this e-mail exists, a mail with a link to choose a new password is "
        "on its way."
    )


class PasswordResetComplete(BaseModel):
    new_password: NewPassword
