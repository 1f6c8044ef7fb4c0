"""The newsletters service's settings (environment variables, see ServiceSettings and
MailSettings)."""

from typing import ClassVar

from pydantic import SecretStr

from kring_platform.mail import MailSettings
from kring_platform.settings import ServiceSettings

DEV_UNSUBSCRIBE_SECRET = "kring-dev-unsubscribe-secret"


class Settings(ServiceSettings, MailSettings):
    service_name: str = "newsletters"
    secret_settings: ClassVar[tuple[str, ...]] = (
        *ServiceSettings.secret_settings,
        "unsubscribe_secret",
    )
    # The consumer group reading kring.contacts.v1 and kring.memberships.v1; tests use a
    # fresh one per run.
    consumer_group: str = "newsletters"

    # Where recipients reach this service (the unsubscribe links), and the key that signs
    # those links. Outside development set a secret of your own (or refused at start).
    public_base_url: str = "http://127.0.0.1:8000/api/v1/newsletters"
    unsubscribe_secret: SecretStr = SecretStr(DEV_UNSUBSCRIBE_SECRET)

    # Sending: parallel SMTP connections, mails per second over all of them, recipients
    # claimed per batch, how long a claim holds before another sender may take it over.
    smtp_pool_size: int = 4
    send_rate_per_s: float = 500.0
    send_batch_size: int = 50
    send_lease_s: float = 10.0
    send_poll_interval_s: float = 1.0
    # Temporary failures (4xx, lost connection) are retried with exponential backoff.
    send_max_attempts: int = 5
    send_backoff_initial_s: float = 30.0
    send_backoff_max_s: float = 3600.0

    # An address counts as bouncing after one hard bounce or this many soft ones.
    soft_bounce_threshold: int = 3
