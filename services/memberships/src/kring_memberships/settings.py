"""The memberships service's settings (environment variables, see ServiceSettings)."""

from datetime import date
from typing import ClassVar

from pydantic import Field, field_validator

from kring_platform.clock import DEFAULT_TIME_ZONE, TimeZoneName
from kring_platform.settings import ServiceSettings

DEVELOPMENT_CARD_SECRET = "development-only-card-secret"


class Settings(ServiceSettings):
    service_name: str = "memberships"
    secret_settings: ClassVar[tuple[str, ...]] = (*ServiceSettings.secret_settings, "card_secrets")
    # The consumer group reading kring.contacts.v1; tests use a fresh one per run.
    consumer_group: str = "memberships"
    # Dates pass at midnight here: activations, ends, and the access published for today.
    organisation_time_zone: TimeZoneName = DEFAULT_TIME_ZONE
    # FROZEN_TODAY: the clock stands still on this day (tests and demos); unset in production.
    frozen_today: date | None = None
    # How often the scheduler looks for dates that passed, besides waking at midnight.
    scheduler_interval_s: float = 60.0
    scheduler_batch_size: int = 500
    # Member numbers read e.g. M000042.
    member_number_prefix: str = "M"

    # Member cards: the name printed on them, the public URL their QR code points at (the
    # token is appended as the last path segment), and the secrets that sign them. The first
    # secret signs; all verify, so a rotation keeps earlier cards valid (CARD_SECRETS is a
    # JSON list, also as the file `card_secrets`). The default is for development only:
    # refused outside it.
    organisation_name: str = "Kring"
    card_verify_url: str = "http://127.0.0.1:8000/verify"
    card_secrets: list[str] = Field(default=[DEVELOPMENT_CARD_SECRET], min_length=1)

    @field_validator("card_secrets")
    @classmethod
    def _long_enough(cls, value: list[str]) -> list[str]:
        if any(len(secret.encode()) < 16 for secret in value):
            raise ValueError("every card secret needs at least 16 bytes")
        return value
