"""Route dependencies every service shares: the organisation's today, and its settings."""

from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from kring_platform.clock import Clock
from kring_platform.settings import ServiceSettings

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def clock_of(request: Request) -> Clock:
    """The clock `create_app` put on the app (`app.state.clock`)."""
    clock: Clock = request.app.state.clock
    return clock


def organisation_today(request: Request) -> date:
    return clock_of(request).today()


Today = Annotated[date, Depends(organisation_today)]
"""Today in the organisation's time zone, by the clock `create_app` put on the app."""


def settings_of(kind: type[SettingsT]) -> Callable[[Request], SettingsT]:
    """A dependency giving the service's own settings, typed as its `Settings` class:
    `SettingsDep = Annotated[Settings, Depends(settings_of(Settings))]`."""

    def service_settings(request: Request) -> SettingsT:
        settings = request.app.state.runtime.settings
        if not isinstance(settings, kind):
            raise TypeError(f"the app runs with {type(settings).__name__}, not {kind.__name__}")
        return settings

    return service_settings
