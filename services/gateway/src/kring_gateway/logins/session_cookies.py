"""The refresh token of a browser login kept in a cookie, out of reach of the page's scripts,
and the CSRF check that goes with a cookie the browser sends by itself.

`kring_refresh` (HttpOnly, sent only to `/api/v1/auth`) holds the refresh token. `kring_csrf`
(readable by the app's scripts, sent everywhere on the site) holds a random value the app
copies into the `X-CSRF-Token` header of a refresh: another site can make the browser send the
cookies, but cannot read them to set the header (double submit; SameSite=Strict already keeps
the cookies off cross-site requests, this is the second lock)."""

import hmac
import secrets

from fastapi import Request, Response

from kring_gateway.edge.headers import is_behind_tls
from kring_gateway.problems import Forbidden
from kring_gateway.schemas import TokenPair
from kring_gateway.state import gateway_of

REFRESH_COOKIE = "kring_refresh"
CSRF_COOKIE = "kring_csrf"
CSRF_HEADER = "X-CSRF-Token"
REFRESH_COOKIE_PATH = "/api/v1/auth"


def _secure(request: Request) -> bool:
    # Over plain http (local use) a Secure cookie would never come back.
    return is_behind_tls(
        request.scope, trust_forwarded=gateway_of(request).settings.trust_forwarded_headers
    )


def keep_refresh_in_cookies(tokens: TokenPair, request: Request, response: Response) -> TokenPair:
    """Sets both cookies (a new CSRF value with each refresh token) and answers the tokens
    without the refresh token."""
    assert tokens.refresh_token is not None  # a token pair from Accounts always has one
    secure = _secure(request)
    max_age = gateway_of(request).settings.refresh_token_ttl_s
    response.set_cookie(
        REFRESH_COOKIE,
        tokens.refresh_token,
        max_age=max_age,
        path=REFRESH_COOKIE_PATH,
        secure=secure,
        httponly=True,
        samesite="strict",
    )
    response.set_cookie(
        CSRF_COOKIE,
        secrets.token_urlsafe(32),
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=False,  # the app's script reads it to send it back in the header
        samesite="strict",
    )
    return tokens.model_copy(update={"refresh_token": None})


def clear_cookies(request: Request, response: Response) -> None:
    secure = _secure(request)
    response.delete_cookie(
        REFRESH_COOKIE, path=REFRESH_COOKIE_PATH, secure=secure, httponly=True, samesite="strict"
    )
    response.delete_cookie(CSRF_COOKIE, path="/", secure=secure, samesite="strict")


def check_csrf(request: Request) -> None:
    """The header must repeat the CSRF cookie (compared in constant time)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), header.encode()):
        raise Forbidden(f"A refresh by cookie needs the {CSRF_HEADER} header.")
