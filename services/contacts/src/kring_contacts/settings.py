"""The contacts service's settings: the shared ones, under its own name."""

from kring_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "contacts"
