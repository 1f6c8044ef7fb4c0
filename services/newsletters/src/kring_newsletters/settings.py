"""The newsletters service's settings (environment variables, see ServiceSettings)."""

from kring_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "newsletters"
    # The consumer group reading kring.contacts.v1; tests use a fresh one per run.
    consumer_group: str = "newsletters"
