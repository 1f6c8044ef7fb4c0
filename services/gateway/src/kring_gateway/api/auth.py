"""Logging in and out, refreshing, changing one's password, and who one is."""

import uuid

from fastapi import APIRouter, Request, status

from kring_gateway.authorization import Authorized, LoggedIn
from kring_gateway.schemas import LoginRequest, Me, PasswordChange, RefreshRequest, TokenPair
from kring_gateway.state import gateway_of, notes_of

router = APIRouter(prefix="/api/v1/auth", tags=["gateway"])


def client_address(request: Request) -> str:
    if gateway_of(request).settings.trust_forwarded_headers:
        forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
        if forwarded:
            return forwarded[:64]
    return request.client.host if request.client else "unknown"


@router.post("/login", responses={401: {}, 429: {}})
async def login(body: LoginRequest, request: Request, _: Authorized) -> TokenPair:
    """A short-lived access token and a refresh token for an e-mail and password."""
    tokens = await gateway_of(request).accounts.login(
        body.email, body.password, client_address(request)
    )
    return tokens


@router.post("/refresh", responses={401: {}})
async def refresh(body: RefreshRequest, request: Request, _: Authorized) -> TokenPair:
    """New tokens for a refresh token; the one given is used up."""
    return await gateway_of(request).accounts.refresh(body.refresh_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(request: Request, caller: LoggedIn) -> None:
    """Ends this session: its refresh token and access tokens stop working."""
    await gateway_of(request).accounts.logout(caller)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT, responses={403: {}})
async def change_password(body: PasswordChange, request: Request, caller: LoggedIn) -> None:
    """Changes one's own password; every other session of the login ends."""
    notes_of(request.scope).object_id = caller.user_id
    await gateway_of(request).accounts.change_password(
        caller, body.current_password, body.new_password
    )


@router.get("/me")
async def me(request: Request, caller: LoggedIn) -> Me:
    """The caller as the gateway sees them, and every route their roles allow (the web app
    shows only what may be used)."""
    gateway = gateway_of(request)
    user = await gateway.accounts.get_user(uuid.UUID(caller.user_id))
    return Me(
        user_id=caller.user_id,
        email=user.email,
        roles=sorted(caller.roles),
        contact_id=caller.contact_id,
        allowed=gateway.policy.allowed_routes(caller),
    )
