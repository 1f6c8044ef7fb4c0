"""Settings from the environment, one class every service extends."""

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Shared settings. A service subclasses this and sets `service_name`'s default."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    service_name: str = "kring"
    database_url: str = Field(
        default="postgresql+psycopg://kring@127.0.0.1:55432/kring",
        description="SQLAlchemy URL on psycopg 3",
    )
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    log_level: str = "INFO"
    # Shared with the gateway, which signs each caller's identity with it (see identity.py).
    # Unset: requests are not checked (in-process tests only; a warning says so at start-up).
    gateway_identity_key: SecretStr | None = None

    # Telemetry: spans go nowhere, to the console, or to an OTLP/HTTP collector.
    otel_traces_exporter: Literal["none", "console", "otlp"] = "none"
    otel_exporter_otlp_endpoint: str = "http://127.0.0.1:4318"

    # Outbox relay: LISTEN/NOTIFY wakes it; polling is the fallback.
    relay_poll_interval_s: float = 1.0
    relay_batch_size: int = 500
    relay_keep_published_s: float = 24 * 3600

    # Consumers: bounded retries with exponential backoff, then the DLQ.
    consumer_max_attempts: int = 5
    consumer_backoff_initial_s: float = 0.1
    consumer_backoff_max_s: float = 5.0

    @property
    def psycopg_dsn(self) -> str:
        """The same database as a libpq URL, for the raw psycopg connection that LISTENs."""
        return self.database_url.replace("postgresql+psycopg://", "postgresql://", 1)

    @property
    def event_source(self) -> str:
        return f"/kring/{self.service_name}"
