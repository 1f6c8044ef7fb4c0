"""Logging in, tokens, refresh rotation, logout, password changes, locks and rate limits."""

import time
import uuid

import httpx
import jwt
import pytest
from fastapi import FastAPI

from kring_gateway.main import create_app
from kring_gateway.roles import Role

from .conftest import PASSWORD, TOKEN_KEY, Logins, bearer, client_of, gateway_settings

pytestmark = pytest.mark.integration

ME = "/api/v1/auth/me"


async def test_a_login_gets_tokens_that_say_who_calls(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    contact = uuid.uuid4()
    email = await logins.create(Role.MEMBER, contact)
    tokens = await logins.login(email.upper())  # e-mails compare without case
    assert tokens["token_type"] == "bearer"
    claims = jwt.decode(
        tokens["access_token"], TOKEN_KEY, algorithms=["HS256"], audience="kring-api"
    )
    assert {"iss", "aud", "sub", "exp", "iat", "jti"} <= claims.keys()
    assert claims["exp"] - claims["iat"] == tokens["expires_in"]
    me = await client.get(ME, headers=bearer(tokens["access_token"]))
    assert me.status_code == 200
    answer = me.json()
    assert {k: answer[k] for k in ("user_id", "email", "roles", "contact_id")} == {
        "user_id": claims["sub"],
        "email": email,
        "roles": ["member"],
        "contact_id": str(contact),
    }


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    email = await logins.create(Role.SECRETARY)
    wrong = await client.post("/api/v1/auth/login", json={"email": email, "password": "nope"})
    unknown = await client.post(
        "/api/v1/auth/login", json={"email": f"x{email}", "password": PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json()["detail"] == unknown.json()["detail"]


def forged(claims: dict[str, object], key: str = TOKEN_KEY, algorithm: str = "HS256") -> str:
    now = int(time.time())
    base: dict[str, object] = {
        "iss": "kring-gateway",
        "aud": "kring-api",
        "iat": now,
        "exp": now + 60,
        "jti": uuid.uuid4().hex,
        **claims,
    }
    return jwt.encode({k: v for k, v in base.items() if v is not None}, key, algorithm=algorithm)


async def test_forged_expired_and_unsigned_tokens_are_refused(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    tokens = await logins.login(await logins.create(Role.ADMIN))
    claims = jwt.decode(
        tokens["access_token"], TOKEN_KEY, algorithms=["HS256"], audience="kring-api"
    )
    real = {"sub": claims["sub"], "sid": claims["sid"]}
    assert (await client.get(ME, headers=bearer(forged(real)))).status_code == 200  # the control
    header, payload, _ = tokens["access_token"].split(".")
    unsigned = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    refused = {
        "wrong key": forged(real, key="another-key-of-the-same-length-0123456789abcdef"),
        "expired": forged({**real, "iat": int(time.time()) - 600, "exp": int(time.time()) - 60}),
        "other audience": forged({**real, "aud": "someone-else"}),
        "other issuer": forged({**real, "iss": "https://evil.example"}),
        "no jti": forged({**real, "jti": None}),
        "alg none": f"{unsigned}.{payload}.",
        "tampered": f"{header}.{payload[:-2]}AA.{tokens['access_token'].split('.')[2]}",
        "other session": forged({**real, "sid": str(uuid.uuid4())}),
        "garbage": "not-a-token",
    }
    for why, token in refused.items():
        response = await client.get(ME, headers=bearer(token))
        assert response.status_code == 401, why
        assert response.headers["content-type"] == "application/problem+json", why
        assert response.headers["www-authenticate"].startswith("Bearer"), why
    assert (await client.get(ME)).status_code == 401


async def test_refresh_rotates_and_a_replayed_token_ends_the_session(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    first = await logins.login(await logins.create(Role.TREASURER))
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await client.get(ME, headers=bearer(second["access_token"]))).status_code == 200
    # The first refresh token is used up; presenting it again looks like theft: the session
    # ends, for the thief and the rightful holder alike.
    replay = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replay.status_code == 401
    assert (await client.get(ME, headers=bearer(second["access_token"]))).status_code == 401
    after = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert after.status_code == 401


async def test_a_token_replayed_within_the_grace_renews_the_session_once(
    database_url: str,
) -> None:
    """A reload in the middle of a refresh: the browser never stored the new cookie and
    presents the previous token. Within the grace it renews the session (the lost token is
    then dead); after the grace the same replay ends the session."""
    app = create_app(gateway_settings(database_url, refresh_reuse_grace_s=30))
    async with app.router.lifespan_context(app), client_of(app) as client:
        logins = Logins(app, client)
        first = await logins.login(await logins.create(Role.SECRETARY))

        async def refresh(token: str) -> httpx.Response:
            return await client.post("/api/v1/auth/refresh", json={"refresh_token": token})

        lost = (await refresh(first["refresh_token"])).json()
        again = await refresh(first["refresh_token"])
        assert again.status_code == 200
        assert (await refresh(lost["refresh_token"])).status_code == 401
        third = await refresh(again.json()["refresh_token"])
        assert third.status_code == 200
        app.state.gateway.settings.refresh_reuse_grace_s = 0
        assert (await refresh(again.json()["refresh_token"])).status_code == 401
        assert (await refresh(third.json()["refresh_token"])).status_code == 401


async def test_logout_ends_the_session(client: httpx.AsyncClient, logins: Logins) -> None:
    tokens = await logins.login(await logins.create(Role.COMMUNICATIONS))
    headers = bearer(tokens["access_token"])
    assert (await client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    assert (await client.get(ME, headers=headers)).status_code == 401
    refresh = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refresh.status_code == 401


async def test_a_password_change_ends_the_other_sessions(
    client: httpx.AsyncClient, logins: Logins
) -> None:
    email = await logins.create(Role.READ_ONLY)
    this, other = await logins.login(email), await logins.login(email)
    wrong = await client.post(
        "/api/v1/auth/password",
        json={"current_password": "not it", "new_password": "another long password"},
        headers=bearer(this["access_token"]),
    )
    assert wrong.status_code == 403
    short = await client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "short"},
        headers=bearer(this["access_token"]),
    )
    assert short.status_code == 422
    changed = await client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "another long password"},
        headers=bearer(this["access_token"]),
    )
    assert changed.status_code == 204
    assert (await client.get(ME, headers=bearer(this["access_token"]))).status_code == 200
    assert (await client.get(ME, headers=bearer(other["access_token"]))).status_code == 401
    await logins.login(email, "another long password")
    old = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert old.status_code == 401


async def test_repeated_failures_lock_the_login_until_an_admin_unlocks_it(
    app: FastAPI, client: httpx.AsyncClient, logins: Logins
) -> None:
    email = await logins.create(Role.SECRETARY)
    limit = app.state.gateway.settings.lock_after_failures
    for _ in range(limit):
        wrong = await client.post("/api/v1/auth/login", json={"email": email, "password": "x"})
        assert wrong.status_code == 401
    locked = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert locked.json()["reason"] == "locked"
    admin = bearer(await logins.token(Role.ADMIN))
    users = (await client.get("/api/v1/users", params={"limit": 500}, headers=admin)).json()
    user = next(u for u in users["items"] if u["email"] == email)
    assert user["locked_until"] is not None
    unlocked = await client.patch(
        f"/api/v1/users/{user['id']}", json={"unlock": True}, headers=admin
    )
    assert unlocked.status_code == 200
    assert unlocked.json()["locked_until"] is None
    await logins.login(email)


async def test_attempts_per_client_address_are_limited(database_url: str) -> None:
    settings = gateway_settings(database_url, login_max_attempts_per_address=4)
    app = create_app(settings)
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    async with app.router.lifespan_context(app), client_of(app, address) as client:
        answers = [
            await client.post(
                "/api/v1/auth/login",
                json={"email": f"guess{i}@example.org", "password": "guess"},
            )
            for i in range(6)
        ]
    assert [answer.status_code for answer in answers] == [401, 401, 401, 401, 429, 429]
    assert answers[-1].json()["reason"] == "rate_limited"


async def test_a_deactivated_login_is_refused_at_once(
    client: httpx.AsyncClient, logins: Logins, admin_headers: dict[str, str]
) -> None:
    email = await logins.create(Role.SECRETARY)
    tokens = await logins.login(email)
    me = (await client.get(ME, headers=bearer(tokens["access_token"]))).json()
    off = await client.patch(
        f"/api/v1/users/{me['user_id']}", json={"active": False}, headers=admin_headers
    )
    assert off.status_code == 200
    assert (await client.get(ME, headers=bearer(tokens["access_token"]))).status_code == 401
    again = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert again.status_code == 401


async def test_user_roles_are_checked(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    base = {"email": f"{uuid.uuid4().hex[:8]}@example.org", "password": PASSWORD}
    refused = [
        {**base, "roles": ["member"]},  # a member needs its contact
        {**base, "roles": ["member", "secretary"], "contact_id": str(uuid.uuid4())},
        {**base, "roles": ["secretary"], "contact_id": str(uuid.uuid4())},
        {**base, "roles": ["superuser"]},
        {**base, "roles": []},
        {**base, "roles": ["admin"], "password": "short"},
        {**base, "roles": ["admin"], "email": "no-at-sign"},
        {**base, "roles": ["admin"], "email": "nul\x00@example.org"},
    ]
    for body in refused:
        response = await client.post("/api/v1/users", json=body, headers=admin_headers)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
    created = await client.post(
        "/api/v1/users", json={**base, "roles": ["secretary"]}, headers=admin_headers
    )
    assert created.status_code == 201
    twice = await client.post(
        "/api/v1/users", json={**base, "roles": ["secretary"]}, headers=admin_headers
    )
    assert twice.status_code == 409
