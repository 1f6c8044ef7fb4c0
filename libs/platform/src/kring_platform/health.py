"""`/health/live` (the process answers) and `/health/ready` (database and Kafka reachable)."""

import asyncio
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live")
async def live() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready", response_model=None)
async def ready(request: Request) -> JSONResponse:
    """Ready when the database answers, Kafka's metadata can be read and every consumer
    runs (a consumer being restarted after a failure makes the service not ready)."""
    runtime = request.app.state.runtime
    checks: dict[str, Any] = {}
    try:
        await asyncio.wait_for(runtime.database.ping(), 2)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unavailable: {type(exc).__name__}"
    try:
        await asyncio.wait_for(_kafka_ping(runtime.settings.kafka_bootstrap_servers), 3)
        checks["kafka"] = "ok"
    except Exception as exc:
        checks["kafka"] = f"unavailable: {type(exc).__name__}"
    stalled = [c.group_id for c in runtime.consumers if not c.running]
    checks["consumers"] = f"not running: {', '.join(stalled)}" if stalled else "ok"
    healthy = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status_code=200 if healthy else 503,
    )


async def _kafka_ping(bootstrap_servers: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=2000)
    try:
        await admin.start()
        await admin.describe_cluster()
    finally:
        await admin.close()
