"""The contacts service's own settings, for routes that need one of them."""

from typing import Annotated

from fastapi import Depends, Request

from kring_contacts.settings import Settings


def contacts_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.runtime.settings
    return settings


SettingsDep = Annotated[Settings, Depends(contacts_settings)]
