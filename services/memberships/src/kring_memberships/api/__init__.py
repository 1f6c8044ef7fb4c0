"""The HTTP API: thin routes that open a unit of work (or, to read, a transaction) and call
the service layer."""

from kring_memberships.affiliation.routes import router as affiliation_router
from kring_memberships.api.access import router as access_router
from kring_memberships.api.calendar import router as calendar_router
from kring_memberships.api.cards import router as cards_router
from kring_memberships.api.contacts import router as contacts_router
from kring_memberships.api.groups import router as groups_router
from kring_memberships.api.members import router as members_router
from kring_memberships.api.membership_types import router as membership_types_router
from kring_memberships.api.memberships import router as memberships_router
from kring_memberships.api.personal_data import router as personal_data_router

routers = [
    membership_types_router,
    memberships_router,
    members_router,
    contacts_router,
    groups_router,
    access_router,
    calendar_router,
    cards_router,
    personal_data_router,
    affiliation_router,
]

__all__ = ["routers"]
