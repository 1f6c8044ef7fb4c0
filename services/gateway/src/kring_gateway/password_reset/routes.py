"""Forgot password: ask for a link by e-mail, set a new password by it (public routes)."""

from fastapi import APIRouter, BackgroundTasks, Request, status

from kring_gateway.authorization import Authorized
from kring_gateway.logins.auth_routes import client_address
from kring_gateway.password_reset.schemas import (
    PasswordResetAccepted,
    PasswordResetComplete,
    PasswordResetRequestIn,
)
from kring_gateway.schemas import LinkToken
from kring_gateway.state import gateway_of, notes_of

router = APIRouter(prefix="/api/v1/auth/password-reset", tags=["gateway"])


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    responses={429: {"description": "Too many requests for the e-mail or from the client"}},
)
async def ask(
    body: PasswordResetRequestIn, request: Request, background: BackgroundTasks, _: Authorized
) -> PasswordResetAccepted:
    """Always 202, whether or not a login has the e-mail; if an active one has, a mail with
    a link `<PUBLIC_BASE_URL>/reset-password/<token>` (valid `PASSWORD_RESET_TTL_MIN`, once)
    goes out after the answer. Limited per e-mail and per client address (429)."""
    resets = gateway_of(request).password_resets
    mail = await resets.request(body.email, client_address(request))
    if mail is not None:
        background.add_task(resets.send, *mail)
    return PasswordResetAccepted()


@router.post(
    "/{token}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={410: {"description": "The link was used, replaced or expired (`state`)"}},
)
async def set_password(
    token: LinkToken, body: PasswordResetComplete, request: Request, _: Authorized
) -> None:
    """Sets the login's new password by the link's token, ends all its sessions and uses the
    link up; 404 for an unknown token, 410 for a used, replaced or expired one."""
    user_id = await gateway_of(request).password_resets.complete(token, body.new_password)
    notes_of(request.scope).object_id = str(user_id)
