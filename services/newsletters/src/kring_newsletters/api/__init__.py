"""The HTTP API: thin routes that open a transaction and call the service layer."""

from kring_newsletters.api.contacts import router as contacts_router
from kring_newsletters.api.lists import router as lists_router
from kring_newsletters.api.subscribers import router as subscribers_router

routers = [lists_router, subscribers_router, contacts_router]

__all__ = ["routers"]
