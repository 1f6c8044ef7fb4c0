"""Logging in at the gateway in the e2e tests: the first admin (made the way an operator
makes it, with the bootstrap command's function) and a login of each role, made by that
admin through the API."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from kring_gateway.bootstrap import bootstrap_admin
from kring_gateway.roles import Role
from kring_gateway.settings import Settings
from kring_stack.postgres import sqlalchemy_url

from .conftest import RunningSystem

PASSWORD = "e2e password, long enough"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# Access tokens live 5 minutes; a login older than this logs in again.
FRESH_S = 200


@dataclass
class GatewayLogins:
    gateway: httpx.AsyncClient
    admin_email: str
    _emails: dict[tuple[Role, uuid.UUID | None], str] = field(default_factory=dict)
    _tokens: dict[str, tuple[float, dict[str, str]]] = field(default_factory=dict)

    async def admin_headers(self) -> dict[str, str]:
        return await self._fresh(self.admin_email)

    async def _fresh(self, email: str) -> dict[str, str]:
        obtained, headers = self._tokens.get(email, (0.0, {}))
        if time.monotonic() - obtained > FRESH_S:
            headers = bearer((await self.login(email))["access_token"])
            self._tokens[email] = (time.monotonic(), headers)
        return headers

    async def login(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        response = await self.gateway.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens

    async def headers(self, role: Role, contact_id: uuid.UUID | None = None) -> dict[str, str]:
        """A logged-in login of the role (one per role and contact for the whole run)."""
        if (role, contact_id) not in self._emails:
            email = f"{role}-{uuid.uuid4().hex[:8]}@example.org"
            body: dict[str, Any] = {"email": email, "password": PASSWORD, "roles": [role]}
            if contact_id is not None:
                body["contact_id"] = str(contact_id)
            created = await self.gateway.post(
                "/api/v1/users", json=body, headers=await self.admin_headers()
            )
            assert created.status_code == 201, created.text
            self._emails[(role, contact_id)] = email
        return await self._fresh(self._emails[(role, contact_id)])


# The first admin of this run's gateway database, made once.
_first_admin: dict[str, str] = {}


def first_admin(system: RunningSystem) -> str:
    """The e-mail of this run's first admin, made once (the browser tests share it). Made on
    a thread of its own: the callers may be inside a running event loop or not."""
    database = system.databases["gateway"]
    if database not in _first_admin:
        email = f"admin-{uuid.uuid4().hex[:8]}@example.org"
        settings = Settings(database_url=sqlalchemy_url(system.profile, database))
        with ThreadPoolExecutor(1) as thread:
            made = thread.submit(asyncio.run, bootstrap_admin(settings, email, PASSWORD))
            assert made.result() is not None
        _first_admin[database] = email
    return _first_admin[database]


@asynccontextmanager
async def gateway_logins(system: RunningSystem) -> AsyncIterator[GatewayLogins]:
    admin = first_admin(system)
    async with system.client("gateway", timeout=30.0) as gateway:
        yield GatewayLogins(gateway, admin)


async def merged_openapi(logins: GatewayLogins) -> dict[str, Any]:
    response = await logins.gateway.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def is_problem(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").startswith("application/problem+json")


async def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


def headers_of(*parts: Mapping[str, str]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in parts:
        merged.update(part)
    return merged
