"""The billing service's settings (environment variables, see ServiceSettings and
MailSettings). The API and the contribution-run workers read the same class."""

from datetime import date

from pydantic import Field

from kring_billing.organisation.organisation import OrganisationSettings
from kring_platform.clock import DEFAULT_TIME_ZONE, TimeZoneName
from kring_platform.mail import MailSettings
from kring_platform.settings import ServiceSettings


class Settings(ServiceSettings, MailSettings, OrganisationSettings):
    service_name: str = "billing"
    # The group reading kring.contacts.v1 and kring.memberships.v1; tests use a fresh one.
    consumer_group: str = "billing"
    # The group of the contribution-run workers on kring.billing.runs.v1.
    worker_consumer_group: str = "billing-workers"
    # Issue dates and due dates are days where the organisation is.
    organisation_time_zone: TimeZoneName = DEFAULT_TIME_ZONE
    # FROZEN_TODAY: the clock stands still on this day (tests and demos); unset in production.
    frozen_today: date | None = None
    # An issued invoice is due this many days after its issue date unless it names a day.
    payment_term_days: int = Field(default=30, ge=0, le=365)
    # Memberships per work item of a contribution run.
    run_chunk_size: int = Field(default=500, ge=1, le=5000)

    @property
    def event_source(self) -> str:
        # The API and the workers (SERVICE_NAME billing-worker) publish as one service.
        return "/kring/billing"
