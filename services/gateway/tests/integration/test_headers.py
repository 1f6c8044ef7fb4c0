"""Security headers on every answer, HSTS behind TLS, CORS for the configured origins."""

import httpx
import pytest
from fastapi import FastAPI

from .conftest import client_of

pytestmark = pytest.mark.integration


async def test_every_answer_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    for path in ("/api/v1/auth/me", "/health/live", "/api/v1/nowhere"):
        response = await client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["x-frame-options"] == "DENY", path
        assert response.headers["referrer-policy"] == "no-referrer", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        assert response.headers["content-security-policy"].startswith("default-src 'none'")
        assert response.headers["cache-control"] == "no-store", path
        assert len(response.headers["x-request-id"]) >= 8, path
        assert "strict-transport-security" not in response.headers, path


async def test_hsts_only_behind_tls(app: FastAPI) -> None:
    async with client_of(app, scheme="https") as client:
        response = await client.get("/health/live")
    assert response.headers["strict-transport-security"].startswith("max-age=")


async def test_a_request_id_that_does_not_look_like_one_is_replaced(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "<script>"})
    assert response.headers["x-request-id"] != "<script>"


async def test_cors_only_for_configured_origins(client: httpx.AsyncClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = await client.options(
        "/api/v1/auth/login", headers={"Origin": "https://kring.example.org", **preflight}
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://kring.example.org"
    refused = await client.options(
        "/api/v1/auth/login", headers={"Origin": "https://evil.example", **preflight}
    )
    assert "access-control-allow-origin" not in refused.headers
