"""The HTTP API: thin routes that open a transaction and call the service layer.

`ROUTERS` is what the app serves, one line per router."""

from fastapi import APIRouter

from kring_contacts.api import (
    companies,
    contacts,
    duplicates,
    exports,
    families,
    groups,
    history,
    imports,
    privacy,
    resources,
    searches,
)

ROUTERS: list[APIRouter] = [
    contacts.router,
    duplicates.router,
    privacy.router,
    groups.router,
    families.router,
    companies.router,
    resources.router,
    history.router,
    searches.router,
    exports.router,
    imports.router,
]
