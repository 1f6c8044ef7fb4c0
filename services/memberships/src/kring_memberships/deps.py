"""Dependencies the routes share: the organisation's today (`kring_platform.route_deps`), the
day a question is for, and the service's settings."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from kring_memberships.schemas import FIRST_DAY, LAST_DAY
from kring_memberships.settings import Settings
from kring_platform.problems import InvalidInput
from kring_platform.route_deps import Today, organisation_today, settings_of

__all__ = ["DayAsked", "SettingsDep", "Today"]


def day_asked(
    request: Request,
    on: Annotated[date | None, Query(description="The day; today when left out")] = None,
) -> date:
    if on is None:
        return organisation_today(request)
    if not FIRST_DAY <= on <= LAST_DAY:
        raise InvalidInput(f"on must lie between {FIRST_DAY} and {LAST_DAY}.")
    return on


DayAsked = Annotated[date, Depends(day_asked)]
"""The `on` query parameter, or today."""

SettingsDep = Annotated[Settings, Depends(settings_of(Settings))]
"""The memberships service's own settings, for routes that need one of them."""
