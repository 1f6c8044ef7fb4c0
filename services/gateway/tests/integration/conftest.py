"""Integration fixtures: the gateway in-process on a fresh database of the Postgres that
`./kring test` started, in front of stand-in services (small ASGI apps in-process that check
the gateway's signed identity with the platform's own IdentityCheck and echo the request)."""

import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import SecretStr

from kring_gateway.main import create_app
from kring_gateway.roles import Role
from kring_gateway.schemas import UserCreate
from kring_gateway.settings import Settings
from kring_gateway.state import Gateway
from kring_platform.identity import IdentityCheck
from kring_platform.testing import migrated_database

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"
IDENTITY_KEY = "gateway-tests-identity-key-0123456789"
TOKEN_KEY = "gateway-tests-token-signing-key-0123456789abcdef"
PASSWORD = "a long enough password"
SERVICES = ("contacts", "newsletters", "memberships", "billing")
# The stand-in contacts service says this contact does not exist.
MISSING_CONTACT = uuid.UUID("00000000-0000-4000-8000-000000000404")


def echo_service(name: str) -> FastAPI:
    """A service that answers every route with what it received: the verified identity, the
    path, query, headers and body. `?answer_status=` sets the status, `?owner=` (or an id
    `owned-by-<contact>` in the path) the `contact_id` of the answer, `?location=` a Location
    header."""
    service = FastAPI(openapi_url=None)
    service.add_middleware(IdentityCheck, key=IDENTITY_KEY.encode())

    @service.get("/openapi.json")
    async def openapi() -> dict[str, Any]:
        """A one-route description, as the service would give it."""
        thing = {"$ref": "#/components/schemas/Thing"}
        return {
            "openapi": "3.1.0",
            "info": {"title": name, "version": "1"},
            "paths": {
                "/things/{thing_id}": {
                    "get": {
                        "operationId": "get_thing",
                        "responses": {"200": {"content": {"application/json": {"schema": thing}}}},
                    }
                }
            },
            "components": {"schemas": {"Thing": {"type": "object"}}},
        }

    @service.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def echo(request: Request, path: str) -> JSONResponse:
        identity = request.state.identity
        if str(MISSING_CONTACT) in path:
            return JSONResponse({"title": "Not found", "status": 404}, status_code=404)
        headers = (
            {"location": request.query_params["location"]}
            if ("location" in request.query_params)
            else {}
        )
        return JSONResponse(
            {
                "service": name,
                "method": request.method,
                "raw_path": request.scope["raw_path"].decode(),
                "query": request.url.query,
                "identity": asdict(identity) if identity else None,
                "headers": dict(request.headers),
                "body": (await request.body()).decode(),
                "contact_id": request.query_params.get("owner") or _owner_in(path),
            },
            status_code=int(request.query_params.get("answer_status", "200")),
            headers=headers,
        )

    return service


def _owner_in(path: str) -> str | None:
    """An object id `owned-by-<contact>` says whose it is."""
    _, found, rest = path.partition("owned-by-")
    return rest.split("/")[0] if found else None


def down() -> httpx.AsyncBaseTransport:
    """A service that does not answer: nothing listens."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    return httpx.MockTransport(refuse)


def transports(**replaced: httpx.AsyncBaseTransport) -> dict[str, httpx.AsyncBaseTransport]:
    every: dict[str, httpx.AsyncBaseTransport] = {
        name: httpx.ASGITransport(echo_service(name)) for name in SERVICES
    }
    return {**every, **replaced}


def gateway_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "gateway_identity_key": SecretStr(IDENTITY_KEY),
        "token_signing_key": SecretStr(TOKEN_KEY),
        "login_max_attempts_per_address": 1000,
        "lock_after_failures": 3,
        # Cheap hashes: the tests log in often; production keeps the strong defaults.
        "password_time_cost": 1,
        "password_memory_kib": 1024,
        "password_parallelism": 1,
        "cors_origins": ["https://kring.example.org"],
        # Any replayed refresh token is theft here; test_auth gives the grace its own test.
        "refresh_reuse_grace_s": 0,
        # Not whatever `web/dist` the tree holds today (test_web_app gives its own).
        "web_dir": None,
        **overrides,
    }
    return Settings(**values)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with migrated_database("gateway_test", ALEMBIC_INI) as url:
        yield url


@pytest.fixture(scope="session")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    app = create_app(gateway_settings(database_url), transports=transports())
    async with app.router.lifespan_context(app):
        yield app


def gateway_of(app: FastAPI) -> Gateway:
    gateway: Gateway = app.state.gateway
    return gateway


@asynccontextmanager
async def client_of(
    app: FastAPI, address: str = "127.0.0.1", scheme: str = "http"
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client calling the app in-process, from the client address given."""
    transport = httpx.ASGITransport(app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url=f"{scheme}://gateway") as client:
        yield client


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app) as client:
        yield client


class Logins:
    """Makes logins of any role and logs them in: `await logins.token(Role.SECRETARY)`."""

    def __init__(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        self.app = app
        self.client = client

    async def create(
        self, role: Role, contact_id: uuid.UUID | None = None, password: str = PASSWORD
    ) -> str:
        """A new login's e-mail."""
        email = f"{role}-{uuid.uuid4().hex[:10]}@example.org"
        if role is Role.MEMBER and contact_id is None:
            contact_id = uuid.uuid4()
        await gateway_of(self.app).accounts.create_user(
            UserCreate(email=email, password=password, roles=[role], contact_id=contact_id)
        )
        return email

    async def login(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        response = await self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens

    async def token(self, role: Role, contact_id: uuid.UUID | None = None) -> str:
        tokens = await self.login(await self.create(role, contact_id))
        return str(tokens["access_token"])

    async def headers(self, role: Role, contact_id: uuid.UUID | None = None) -> Mapping[str, str]:
        return bearer(await self.token(role, contact_id))


def bearer(token: str) -> Mapping[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def logins(app: FastAPI, client: httpx.AsyncClient) -> Logins:
    return Logins(app, client)


@pytest.fixture(scope="session")
async def admin_headers(app: FastAPI) -> Mapping[str, str]:
    async with client_of(app) as client:
        return bearer(await Logins(app, client).token(Role.ADMIN))
