"""The gateway's signed identity: signing, verifying, and the check every service installs."""

import time

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import SecretStr

from kring_platform.identity import (
    IDENTITY_HEADER,
    CallerIdentity,
    IdentityCheck,
    InvalidIdentity,
    identity_key,
    sign_identity,
    verify_identity,
)

KEY = b"platform-tests-identity-key"
CALLER = CallerIdentity(user_id="u-1", roles=("member",), request_id="r-1", contact_id="c-1")


def test_a_signed_identity_verifies_as_itself() -> None:
    assert verify_identity(KEY, sign_identity(KEY, CALLER)) == CALLER


def test_anything_but_a_fresh_header_signed_with_the_key_is_refused() -> None:
    now = time.time()
    header = sign_identity(KEY, CALLER, now=now)
    version, claims, signature = header.split(".")
    other_claims = sign_identity(KEY, CallerIdentity("admin", ("admin",), "r"), now=now)
    refused = {
        "other key": sign_identity(b"another-key-entirely-0000", CALLER, now=now),
        "claims swapped": f"{version}.{other_claims.split('.')[1]}.{signature}",
        "no signature": f"{version}.{claims}.",
        "other version": f"v0.{claims}.{signature}",
        "expired": sign_identity(KEY, CALLER, now=now - 3600),
        "from the future": sign_identity(KEY, CALLER, now=now + 3600),
        "garbage": "garbage",
        "bad base64": f"{version}.{claims}.!!!",
        "too long": "v1." + "a" * 5000 + ".b",
    }
    for why, value in refused.items():
        with pytest.raises(InvalidIdentity):
            verify_identity(KEY, value, now=now)
        assert why


def service(key: bytes | None) -> FastAPI:
    app = FastAPI()
    app.add_middleware(IdentityCheck, key=key)

    @app.get("/who")
    async def who(request: Request) -> dict[str, object]:
        identity = request.state.identity
        return {"user_id": identity.user_id if identity else None}

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    return app


async def call(app: FastAPI, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        return await client.get(path, headers=headers)


async def test_the_check_refuses_unsigned_requests_with_a_problem() -> None:
    app = service(KEY)
    for headers in (None, {IDENTITY_HEADER: "v1.forged.forged"}):
        refused = await call(app, "/who", headers)
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["status"] == 401
    signed = await call(app, "/who", {IDENTITY_HEADER: sign_identity(KEY, CALLER)})
    assert signed.json() == {"user_id": "u-1"}
    assert (await call(app, "/health/live")).status_code == 200


async def test_without_a_key_the_check_lets_requests_through() -> None:
    assert (await call(service(None), "/who")).json() == {"user_id": None}


def test_the_key_setting() -> None:
    assert identity_key(None) is None
    assert identity_key(SecretStr("")) is None
    assert identity_key(SecretStr("sixteen-bytes-ok")) == b"sixteen-bytes-ok"
    with pytest.raises(ValueError):
        identity_key(SecretStr("short"))
