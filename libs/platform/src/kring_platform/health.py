"""`/health/live` (the process answers) and `/health/ready` (the database answers).

Kafka and the consumers are reported in the answer but do not make a service unready: while
the broker is away writes still commit (their events wait in the outbox) and reads still
answer, so taking the service out of rotation would only turn a delay into an outage."""

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kring_platform.db import Database

Checks = Callable[[Request], Awaitable[dict[str, str]]]
"""What `/health/ready` reports; the verdict is its `database` check alone."""


def health_router(checks: Checks) -> APIRouter:
    """`/health/live` and `/health/ready`, ready (200) while `checks` finds the database "ok",
    503 otherwise. The gateway gives its own checks (it has no consumers)."""
    router = APIRouter(prefix="/health", tags=["health"])

    @router.get("/live")
    async def live() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @router.get("/ready", response_model=None)
    async def ready(request: Request) -> JSONResponse:
        """Ready (200) when the database answers; 503 otherwise. Kafka is not asked here: a
        probe must answer fast, and a broker that is away would make it wait."""
        found = await checks(request)
        healthy = found["database"] == "ok"
        return JSONResponse(
            {"status": "ok" if healthy else "unavailable", "checks": found},
            status_code=200 if healthy else 503,
        )

    return router


async def database_check(database: Database) -> str:
    """ "ok" when the database answers within 2 s, else what kept it from answering."""
    try:
        await asyncio.wait_for(database.ping(), 2)
    except Exception as exc:
        return f"unavailable: {type(exc).__name__}"
    return "ok"


async def _service_checks(request: Request) -> dict[str, str]:
    """The database, and whether every consumer runs (is connected to Kafka): for people, not
    for the verdict."""
    runtime = request.app.state.runtime
    stalled = [c.group_id for c in runtime.consumers if not c.running]
    return {
        "database": await database_check(runtime.database),
        "consumers": f"not running: {', '.join(stalled)}" if stalled else "ok",
    }


router = health_router(_service_checks)
