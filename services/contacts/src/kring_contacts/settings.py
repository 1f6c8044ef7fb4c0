"""The contacts service's settings: the shared ones, under its own name, plus its own."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import field_validator

from kring_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "contacts"
    # The consumer group reading kring.memberships.v1 (its DLQ is
    # kring.memberships.v1.dlq.contacts); tests use a fresh one per run.
    consumer_group: str = "contacts"
    # "Today" for membership status is the calendar day where the organisation is.
    organisation_time_zone: str = "Europe/Brussels"

    @field_validator("organisation_time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"not an IANA time zone: {value!r}") from exc
        return value

    @property
    def organisation_zone(self) -> ZoneInfo:
        return ZoneInfo(self.organisation_time_zone)
