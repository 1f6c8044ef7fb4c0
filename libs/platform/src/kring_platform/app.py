"""One call turns a service's routers and consumers into a running FastAPI app."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request

from kring_platform import health
from kring_platform.api_docs import docs_router
from kring_platform.http_metrics import HttpMetrics
from kring_platform.identity import IdentityCheck, identity_key
from kring_platform.load_shedding import add_load_shedding
from kring_platform.logs import setup_logging
from kring_platform.problems import PROBLEM_RESPONSES, install_problem_handlers
from kring_platform.runtime import ConsumerSpec, ServiceRuntime
from kring_platform.secrets import require_real_secrets
from kring_platform.settings import ServiceSettings
from kring_platform.telemetry import setup_telemetry
from kring_platform.trace_context import FASTAPI_TELEMETRY, trace_requests


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    consumers: Sequence[ConsumerSpec] = (),
) -> FastAPI:
    setup_logging(settings.log_level, settings.service_name)
    require_real_secrets(settings)
    setup_telemetry(settings)
    runtime = ServiceRuntime(settings, consumers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        yield
        await runtime.stop()

    # FastAPI's own /docs loads Swagger UI from a CDN; api_docs serves it from here.
    app = FastAPI(
        title=title,
        description=description,
        version="1",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        telemetry=FASTAPI_TELEMETRY,
    )
    app.state.runtime = runtime
    install_problem_handlers(app)
    app.include_router(docs_router(title))
    app.add_middleware(IdentityCheck, key=identity_key(settings.gateway_identity_key))
    # Before anything reads the body or the database; inside the metrics, which count the 503s.
    add_load_shedding(app, settings)
    # Outside the identity check: Prometheus scrapes /metrics unsigned (see http_metrics).
    app.add_middleware(
        HttpMetrics, service=settings.service_name, sources=lambda: runtime.metrics_sources
    )
    app.include_router(health.router)
    for router in routers:
        app.include_router(router, responses=PROBLEM_RESPONSES)
    trace_requests(app)
    return app


# Async on purpose: FastAPI runs a plain `def` dependency in a worker thread, a thread hop per
# request (5% of a member PUT's CPU in a py-spy profile).
async def get_runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]
"""The running service: `async with runtime.unit_of_work() as work:` for a change and its events."""
