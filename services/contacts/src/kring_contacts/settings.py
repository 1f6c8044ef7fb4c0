"""The contacts service's settings: the shared ones, under its own name, plus its own."""

from zoneinfo import ZoneInfo

from pydantic import Field, field_validator

from kring_contacts import phones
from kring_platform.clock import DEFAULT_TIME_ZONE, TimeZoneName
from kring_platform.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "contacts"
    # The consumer group reading kring.memberships.v1 (its DLQ is
    # kring.memberships.v1.dlq.contacts); tests use a fresh one per run.
    consumer_group: str = "contacts"
    # "Today" for membership status is the calendar day where the organisation is.
    organisation_time_zone: TimeZoneName = DEFAULT_TIME_ZONE
    # ISO 3166-1 alpha-2: the country of phone numbers typed without a country code, and
    # whose numbers are shown in national form.
    organisation_country: str = phones.DEFAULT_REGION
    # Sponsor logos: the largest file accepted, and the most pixels a raster logo may have
    # (a small file can decode into a huge image).
    logo_max_bytes: int = Field(default=512 * 1024, gt=0)
    logo_max_pixels: int = Field(default=4096 * 4096, gt=0)
    # Where a resource's profile is shown: its QR code holds this URL plus the resource id.
    # (the web app's resource page, through the gateway).
    resource_profile_base_url: str = "http://127.0.0.1:8000/resources/"
    # Contact imports: the largest upload accepted, rows per transaction (each chunk commits
    # with the job's progress), and how often the job loop looks for work when idle.
    import_max_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    import_chunk_rows: int = Field(default=2000, gt=0, le=5000)
    import_poll_interval_s: float = Field(default=1.0, gt=0)

    @field_validator("organisation_country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        return phones.check_region(value)

    @property
    def organisation_zone(self) -> ZoneInfo:
        return ZoneInfo(self.organisation_time_zone)
