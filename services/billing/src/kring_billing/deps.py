"""Dependencies the routes share: the organisation's today (`kring_platform.route_deps`) and
the service's settings."""

from typing import Annotated

from fastapi import Depends

from kring_billing.settings import Settings
from kring_platform.route_deps import Today, settings_of

__all__ = ["SettingsDep", "Today"]

SettingsDep = Annotated[Settings, Depends(settings_of(Settings))]
"""The billing service's own settings, for routes that need one of them."""
