"""The gateway's own routes; everything else under /api/v1 is forwarded (forwarding.py)."""

from kring_gateway.api.audit import router as audit_router
from kring_gateway.api.auth import router as auth_router
from kring_gateway.api.descriptions import router as descriptions_router
from kring_gateway.api.health import router as health_router
from kring_gateway.api.invitations import router as invitations_router
from kring_gateway.api.password_reset import router as password_reset_router
from kring_gateway.api.profile import router as profile_router
from kring_gateway.api.users import router as users_router

routers = [
    auth_router,
    password_reset_router,
    users_router,
    audit_router,
    profile_router,
    invitations_router,
]
unguarded_routers = [health_router, descriptions_router]

__all__ = ["routers", "unguarded_routers"]
