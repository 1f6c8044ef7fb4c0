"""A browser's login: the refresh token in an HttpOnly cookie, refreshed only with the CSRF
header, rotated, replay still ending the session, cleared at logout."""

from collections.abc import AsyncIterator
from http.cookies import Morsel, SimpleCookie
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kring_gateway.main import create_app
from kring_gateway.roles import Role

from .conftest import PASSWORD, Logins, bearer, client_of, gateway_settings

pytestmark = pytest.mark.integration

LOGIN, REFRESH, LOGOUT = "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"
ME = "/api/v1/auth/me"
TTL_S = 14 * 24 * 3600  # the default refresh token lifetime


def set_cookies(response: httpx.Response) -> dict[str, Morsel[str]]:
    """The cookies the answer sets, with their attributes."""
    found: dict[str, Morsel[str]] = {}
    for header in response.headers.get_list("set-cookie"):
        parsed: SimpleCookie = SimpleCookie()
        parsed.load(header)
        found.update(parsed)
    return found


class Browser:
    """Holds the cookies as a browser would, and sends them explicitly on each call."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.jar: dict[str, str] = {}

    def keep(self, response: httpx.Response) -> dict[str, Morsel[str]]:
        cookies = set_cookies(response)
        for name, morsel in cookies.items():
            if morsel["max-age"] == "0":
                self.jar.pop(name, None)
            else:
                self.jar[name] = morsel.value
        return cookies

    async def post(
        self, path: str, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        self.client.cookies.clear()  # only what this browser holds
        cookie = "; ".join(f"{name}={value}" for name, value in self.jar.items())
        response = await self.client.post(
            path, headers={**(headers or {}), **({"Cookie": cookie} if cookie else {})}, **kwargs
        )
        self.keep(response)
        return response

    async def login(self, email: str) -> dict[str, Any]:
        response = await self.post(
            LOGIN, json={"email": email, "password": PASSWORD, "use_cookie": True}
        )
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens

    def csrf(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.jar["kring_csrf"]}

    async def refresh(self, headers: dict[str, str] | None = None) -> httpx.Response:
        return await self.post(REFRESH, headers=self.csrf() if headers is None else headers)


@pytest.fixture
def browser(client: httpx.AsyncClient) -> Browser:
    return Browser(client)


async def test_a_cookie_login_keeps_the_refresh_token_out_of_reach(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    response = await client.post(
        LOGIN,
        json={"email": await logins.create(Role.SECRETARY), "password": PASSWORD, "use_cookie": 1},
    )
    assert response.status_code == 200
    tokens = response.json()
    assert tokens["refresh_token"] is None
    assert (await client.get(ME, headers=bearer(tokens["access_token"]))).status_code == 200
    cookies = set_cookies(response)
    refresh, csrf = cookies["kring_refresh"], cookies["kring_csrf"]
    assert len(refresh.value) >= 40 and len(csrf.value) >= 40
    assert refresh["httponly"] is True and not csrf["httponly"]
    assert refresh["samesite"].lower() == csrf["samesite"].lower() == "strict"
    assert (refresh["path"], csrf["path"]) == ("/api/v1/auth", "/")
    assert refresh["max-age"] == csrf["max-age"] == str(TTL_S)
    assert not refresh["secure"] and not csrf["secure"]  # plain http: Secure would never return


async def test_without_use_cookie_nothing_changes(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    response = await client.post(
        LOGIN, json={"email": await logins.create(Role.SECRETARY), "password": PASSWORD}
    )
    assert response.json()["refresh_token"]
    assert "set-cookie" not in response.headers


@pytest.fixture(scope="module")
async def proxied(database_url: str) -> AsyncIterator[FastAPI]:
    app = create_app(gateway_settings(database_url, trust_forwarded_headers=True))
    async with app.router.lifespan_context(app):
        yield app


async def test_cookies_are_secure_over_https_and_behind_a_trusted_proxy(
    app: FastAPI, proxied: FastAPI
) -> None:
    for gateway, scheme, headers in (
        (app, "https", {}),
        (proxied, "http", {"X-Forwarded-Proto": "https"}),
    ):
        async with client_of(gateway, scheme=scheme) as client:
            email = await Logins(gateway, client).create(Role.SECRETARY)
            response = await client.post(
                LOGIN,
                json={"email": email, "password": PASSWORD, "use_cookie": True},
                headers=headers,
            )
        cookies = set_cookies(response)
        assert cookies["kring_refresh"]["secure"] and cookies["kring_csrf"]["secure"], scheme
    # An untrusted X-Forwarded-Proto changes nothing.
    async with client_of(app) as client:
        email = await Logins(app, client).create(Role.SECRETARY)
        response = await client.post(
            LOGIN,
            json={"email": email, "password": PASSWORD, "use_cookie": True},
            headers={"X-Forwarded-Proto": "https"},
        )
    assert not set_cookies(response)["kring_refresh"]["secure"]


async def test_a_refresh_by_cookie_rotates_both_cookies(
    client: httpx.AsyncClient, browser: Browser, logins: Logins
) -> None:
    await browser.login(await logins.create(Role.SECRETARY))
    before = dict(browser.jar)
    response = await browser.refresh()
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["refresh_token"] is None
    assert (await client.get(ME, headers=bearer(tokens["access_token"]))).status_code == 200
    rotated = set_cookies(response)
    assert rotated.keys() == {"kring_refresh", "kring_csrf"}
    assert rotated["kring_refresh"]["httponly"] and rotated["kring_refresh"]["path"] == (
        "/api/v1/auth"
    )
    assert all(browser.jar[name] != before[name] for name in before)


@pytest.mark.parametrize(
    "csrf", [None, "", "wrong-value", "kring_refresh"], ids=["none", "empty", "wrong", "other"]
)
async def test_a_refresh_without_the_csrf_header_is_refused_and_changes_nothing(
    browser: Browser, logins: Logins, csrf: str | None
) -> None:
    await browser.login(await logins.create(Role.SECRETARY))
    before = dict(browser.jar)
    header = {} if csrf is None else {"X-CSRF-Token": browser.jar.get(csrf, csrf)}
    refused = await browser.refresh(headers=header)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert "set-cookie" not in refused.headers
    assert browser.jar == before
    # The refresh token was not used up: with the header, the same cookie still works.
    assert (await browser.refresh()).status_code == 200


async def test_the_csrf_cookie_is_needed_too(browser: Browser, logins: Logins) -> None:
    await browser.login(await logins.create(Role.SECRETARY))
    value = browser.jar.pop("kring_csrf")
    refused = await browser.refresh(headers={"X-CSRF-Token": value})
    assert refused.status_code == 403


async def test_a_replayed_refresh_cookie_ends_the_session(
    client: httpx.AsyncClient, browser: Browser, logins: Logins
) -> None:
    await browser.login(await logins.create(Role.TREASURER))
    stolen = dict(browser.jar)
    current = (await browser.refresh()).json()
    thief = Browser(client)
    thief.jar = stolen
    replay = await thief.refresh()
    assert replay.status_code == 401
    assert (await client.get(ME, headers=bearer(current["access_token"]))).status_code == 401
    assert (await browser.refresh()).status_code == 401


async def test_no_token_in_body_or_cookie_is_unauthenticated(browser: Browser) -> None:
    for body in ({}, {"refresh_token": None}):
        response = await browser.post(REFRESH, json=body)
        assert response.status_code == 401
    assert (await browser.post(REFRESH)).status_code == 401  # no body at all


async def test_logout_clears_both_cookies(
    client: httpx.AsyncClient, browser: Browser, logins: Logins
) -> None:
    tokens = await browser.login(await logins.create(Role.COMMUNICATIONS))
    kept = dict(browser.jar)
    response = await browser.post(LOGOUT, headers=bearer(tokens["access_token"]))
    assert response.status_code == 204
    cleared = set_cookies(response)
    assert cleared["kring_refresh"]["max-age"] == cleared["kring_csrf"]["max-age"] == "0"
    assert cleared["kring_refresh"]["path"] == "/api/v1/auth"
    assert cleared["kring_csrf"]["path"] == "/"
    assert browser.jar == {}
    # A copy kept elsewhere is of a session that has ended.
    browser.jar = kept
    assert (await browser.refresh()).status_code == 401


async def test_a_password_change_keeps_the_cookie_session(
    client: httpx.AsyncClient, browser: Browser, logins: Logins
) -> None:
    tokens = await browser.login(await logins.create(Role.READ_ONLY))
    changed = await browser.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "another long password"},
        headers=bearer(tokens["access_token"]),
    )
    assert changed.status_code == 204
    assert (await browser.refresh()).status_code == 200
