"""The gateway: `uvicorn kring_gateway.main:app`.

Assembled here rather than by `kring_platform.app.create_service_app`: the gateway signs the
identity the services check (no IdentityCheck of its own), runs no consumers, serves the merged
API description and the web app, and wraps everything in its edge, audit and CORS."""

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from kring_gateway import health
from kring_gateway.audit.audit import AuditTrail
from kring_gateway.audit.routes import router as audit_router
from kring_gateway.descriptions.openapi import ApiDescription
from kring_gateway.descriptions.routes import router as descriptions_router
from kring_gateway.edge.headers import RequestEdge
from kring_gateway.edge.web_app import WebApp
from kring_gateway.invitations.invitations import Invitations
from kring_gateway.invitations.routes import router as invitations_router
from kring_gateway.logins.accounts import Accounts
from kring_gateway.logins.auth_routes import router as auth_router
from kring_gateway.logins.user_routes import router as users_router
from kring_gateway.mails import Mailer
from kring_gateway.password_reset.password_resets import PasswordResets
from kring_gateway.password_reset.routes import router as password_reset_router
from kring_gateway.policy import DEFAULT_POLICY, Policy
from kring_gateway.profile.routes import router as profile_router
from kring_gateway.settings import Settings
from kring_gateway.state import Gateway
from kring_gateway.upstreams.forwarding import forward
from kring_gateway.upstreams.upstreams import Upstreams
from kring_platform.db import Database
from kring_platform.http_metrics import HttpMetrics
from kring_platform.identity import identity_key
from kring_platform.load_shedding import add_load_shedding
from kring_platform.logs import setup_logging
from kring_platform.problems import PROBLEM_RESPONSES, install_problem_handlers
from kring_platform.secrets import require_real_secrets
from kring_platform.telemetry import setup_telemetry
from kring_platform.trace_context import FASTAPI_TELEMETRY, trace_requests

FORWARDED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
# The gateway's own routes, each checked against the policy (authorization.authorize);
# everything else under /api/v1 is forwarded.
GUARDED_ROUTERS = [
    auth_router,
    password_reset_router,
    users_router,
    audit_router,
    profile_router,
    invitations_router,
]
UNGUARDED_ROUTERS = [health.router, descriptions_router]
DESCRIPTION = (
    "The one entry of the web frontend and members: log in at `/api/v1/auth/login` "
    "and send the access token as `Authorization: Bearer <token>`. Routes under "
    "`/api/v1/<service>/` are forwarded to that service after the policy allowed "
    "them. Events: `/asyncapi.json`."
)
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(
    settings: Settings,
    policy: Policy = DEFAULT_POLICY,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
) -> FastAPI:
    """The app; `transports` replace the network to named services (tests)."""
    _set_up_process(settings)
    mailer = Mailer(settings, settings.smtp_pool_size)
    gateway = _gateway(settings, policy, transports, mailer)
    app = FastAPI(
        title="Kring API",
        description=DESCRIPTION,
        version="1",
        lifespan=_lifespan(gateway, mailer),
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        telemetry=FASTAPI_TELEMETRY,
    )
    app.state.gateway = gateway
    app.state.api_description = ApiDescription(
        gateway.upstreams, policy, settings.api_description_ttl_s
    )
    # The platform's handlers also render the gateway's refusals (problems.Refusal is a
    # DomainError), their headers included.
    install_problem_handlers(app)
    _add_routes(app, settings)
    _add_middleware(app, settings, gateway.database)
    trace_requests(app)
    return app


def _set_up_process(settings: Settings) -> None:
    setup_logging(settings.log_level, settings.service_name)
    # Their lines carry whole URLs, search terms included: personal data stays out of logs.
    for chatty in ("httpx", "uvicorn.access"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    require_real_secrets(settings)
    setup_telemetry(settings)


def _gateway(
    settings: Settings,
    policy: Policy,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None,
    mailer: Mailer,
) -> Gateway:
    database = Database(settings.database_url, pool_size=settings.database_pool_size)
    database.trace()
    upstreams = Upstreams(settings, identity_key(settings.gateway_identity_key), transports)
    accounts = Accounts(database, settings)
    return Gateway(
        settings,
        database,
        accounts,
        upstreams,
        policy,
        invitations=Invitations(database, settings, accounts, upstreams, mailer),
        password_resets=PasswordResets(database, settings, accounts, mailer),
    )


def _lifespan(gateway: Gateway, mailer: Mailer) -> Lifespan:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await mailer.close()
        await gateway.upstreams.close()
        await gateway.database.dispose()

    return lifespan


def _add_routes(app: FastAPI, settings: Settings) -> None:
    for router in UNGUARDED_ROUTERS:
        app.include_router(router)
    for router in GUARDED_ROUTERS:
        app.include_router(router, responses=PROBLEM_RESPONSES)
    app.add_api_route(
        "/api/v1/{path:path}", forward, methods=FORWARDED_METHODS, include_in_schema=False
    )
    if settings.web_dir is not None:
        # Last: only what no route above took is a page of the app.
        app.add_api_route(
            "/{path:path}",
            WebApp(settings.web_dir),
            methods=["GET", "HEAD"],
            include_in_schema=False,
        )


def _add_middleware(app: FastAPI, settings: Settings, database: Database) -> None:
    # Outermost last: the request id and security headers wrap everything, CORS answers
    # preflights, the audit holds a change's answer until its entry is written.
    app.add_middleware(AuditTrail, database=database)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=FORWARDED_METHODS,
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "X-Request-ID",
                "X-CSRF-Token",
            ],
            expose_headers=["X-Request-ID", "Location", "ETag", "Retry-After"],
            max_age=600,
        )
    # Inside the edge, so a refusal carries the request id and the security headers; before
    # the audit and the routes, so a refused request does nothing (a service's own 503 is
    # forwarded as it is, Retry-After included).
    add_load_shedding(app, settings)
    app.add_middleware(
        RequestEdge,
        trust_forwarded=settings.trust_forwarded_headers,
        serves_web_app=settings.web_dir is not None,
    )
    # Outermost: counts every answer, also the edge's; /metrics on this port only (not under
    # /api/v1), for scraping the pod directly.
    app.add_middleware(HttpMetrics, service=settings.service_name)


def _app_from_environment() -> FastAPI:
    return create_app(Settings())


app = _app_from_environment()
