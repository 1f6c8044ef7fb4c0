"""Dependencies the routes share: the organisation's today and the settings."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from kring_billing.clock import Clock
from kring_billing.settings import Settings


def organisation_today(request: Request) -> date:
    clock: Clock = request.app.state.clock
    return clock.today()


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.runtime.settings
    return settings


Today = Annotated[date, Depends(organisation_today)]
"""Today in the organisation's time zone, by the clock `create_app` put on the app."""

SettingsDep = Annotated[Settings, Depends(settings_of)]
