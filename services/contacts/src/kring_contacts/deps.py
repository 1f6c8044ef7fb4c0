from typing import Annotated

from fastapi import Depends

from kring_contacts.settings import Settings
from kring_platform.route_deps import settings_of

SettingsDep = Annotated[Settings, Depends(settings_of(Settings))]
"""The contacts service's own settings, for routes that need one of them."""
