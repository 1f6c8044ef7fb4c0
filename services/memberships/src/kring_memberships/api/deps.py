"""Dependencies the routes share: the organisation's today, and the day a question is for."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from kring_memberships.clock import Clock
from kring_memberships.schemas import FIRST_DAY, LAST_DAY
from kring_memberships.settings import Settings
from kring_platform.problems import InvalidInput


def clock_of(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def organisation_today(request: Request) -> date:
    return clock_of(request).today()


def day_asked(
    request: Request,
    on: Annotated[date | None, Query(description="The day; today when left out")] = None,
) -> date:
    if on is None:
        return organisation_today(request)
    if not FIRST_DAY <= on <= LAST_DAY:
        raise InvalidInput(f"on must lie between {FIRST_DAY} and {LAST_DAY}.")
    return on


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.runtime.settings
    return settings


Today = Annotated[date, Depends(organisation_today)]
"""Today in the organisation's time zone, by the clock `create_app` put on the app."""

DayAsked = Annotated[date, Depends(day_asked)]
"""The `on` query parameter, or today."""

SettingsDep = Annotated[Settings, Depends(settings_of)]
