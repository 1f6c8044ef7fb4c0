"""`/health/live` and `/health/ready` (the gateway's database answers)."""

from fastapi import Request

from kring_gateway.state import gateway_of
from kring_platform.health import database_check, health_router


async def _gateway_checks(request: Request) -> dict[str, str]:
    """The database alone: the services behind may come and go (their routes then answer 503)
    without the gateway being unready."""
    return {"database": await database_check(gateway_of(request).database)}


router = health_router(_gateway_checks)
