"""`/health/live` and `/health/ready` (the gateway's database answers)."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kring_gateway.state import gateway_of

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", response_model=None)
async def ready(request: Request) -> JSONResponse:
    """Ready when the database answers; the services behind may come and go (their routes
    then answer 503) without the gateway being unready."""
    try:
        await asyncio.wait_for(gateway_of(request).database.ping(), 2)
    except Exception as exc:
        return JSONResponse(
            {"status": "unavailable", "checks": {"database": type(exc).__name__}},
            status_code=503,
        )
    return JSONResponse({"status": "ok", "checks": {"database": "ok"}})
