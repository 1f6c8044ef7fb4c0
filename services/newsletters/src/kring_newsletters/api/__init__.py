"""The HTTP API: thin routes that open a transaction and call the service layer."""

from kring_newsletters.api.bounces import router as bounces_router
from kring_newsletters.api.campaigns import router as campaigns_router
from kring_newsletters.api.contacts import router as contacts_router
from kring_newsletters.api.lists import router as lists_router
from kring_newsletters.api.personal_data import router as personal_data_router
from kring_newsletters.api.subscribers import router as subscribers_router
from kring_newsletters.api.unsubscribe import router as unsubscribe_router

routers = [
    lists_router,
    subscribers_router,
    contacts_router,
    campaigns_router,
    unsubscribe_router,
    bounces_router,
    personal_data_router,
]

__all__ = ["routers"]
