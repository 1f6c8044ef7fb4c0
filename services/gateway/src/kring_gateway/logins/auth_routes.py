"""Logging in and out, refreshing, changing one's password, and who one is."""

import uuid

from fastapi import APIRouter, Request, Response, status

from kring_gateway.authorization import Authorized, LoggedIn
from kring_gateway.logins.session_cookies import (
    REFRESH_COOKIE,
    check_csrf,
    clear_cookies,
    keep_refresh_in_cookies,
)
from kring_gateway.problems import Unauthenticated
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
async def login(
    body: LoginRequest, request: Request, response: Response, _: Authorized
) -> TokenPair:
    """A short-lived access token and a refresh token for an e-mail and password; with
    `use_cookie`, the refresh token goes into cookies instead (see `/refresh`)."""
    tokens = await gateway_of(request).accounts.login(
        body.email, body.password, client_address(request)
    )
    if body.use_cookie:
        return keep_refresh_in_cookies(tokens, request, response)
    return tokens


@router.post("/refresh", responses={401: {}, 403: {}})
async def refresh(
    request: Request, response: Response, _: Authorized, body: RefreshRequest | None = None
) -> TokenPair:
    """New tokens for a refresh token; the one given is used up. Without one in the body, the
    `kring_refresh` cookie's is used (the `X-CSRF-Token` header must repeat the `kring_csrf`
    cookie, else 403) and both cookies are renewed."""
    accounts = gateway_of(request).accounts
    if body is not None and body.refresh_token is not None:
        return await accounts.refresh(body.refresh_token)
    from_cookie = request.cookies.get(REFRESH_COOKIE)
    if not from_cookie:
        raise Unauthenticated("A refresh token is needed (in the body or the cookie).")
    check_csrf(request)  # before the token is used up: a forged request changes nothing
    tokens = await accounts.refresh(from_cookie)
    return keep_refresh_in_cookies(tokens, request, response)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(request: Request, response: Response, caller: LoggedIn) -> None:
    """Ends this session: its refresh token and access tokens stop working, and a browser's
    session cookies are removed."""
    await gateway_of(request).accounts.logout(caller)
    clear_cookies(request, response)


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
