"""`/health/live` (the process answers) and `/health/ready` (the database answers).

Kafka and the consumers are reported in the answer but do not make a service unready: while
the broker is away writes still commit (their events wait in the outbox) and reads still
answer, so taking the service out of rotation would only turn a delay into an outage."""

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live")
async def live() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready", response_model=None)
async def ready(request: Request) -> JSONResponse:
    """Ready (200) when the database answers; 503 otherwise. `checks` also says whether every
    consumer runs (is connected to Kafka), for people, not for the verdict. Kafka is not
    asked here: a probe must answer fast, and a broker that is away would make it wait."""
    runtime = request.app.state.runtime
    checks: dict[str, Any] = {}
    try:
        await asyncio.wait_for(runtime.database.ping(), 2)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unavailable: {type(exc).__name__}"
    stalled = [c.group_id for c in runtime.consumers if not c.running]
    checks["consumers"] = f"not running: {', '.join(stalled)}" if stalled else "ok"
    healthy = checks["database"] == "ok"
    return JSONResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status_code=200 if healthy else 503,
    )
