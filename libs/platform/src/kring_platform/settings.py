"""Settings from the environment (and from secret files), one class every service extends."""

import os
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SecretsSettingsSource,
    SettingsConfigDict,
)

# Where secret files are read from, one file per setting (`token_signing_key`, ...), as
# Kubernetes mounts a Secret and Compose mounts its secrets. KRING_SECRETS_DIR names others.
DEFAULT_SECRETS_DIR = "/run/secrets"

Environment = Literal["development", "test", "production"]


def secrets_dirs() -> list[Path]:
    """The secret folders that exist: KRING_SECRETS_DIR (`:`-separated) or /run/secrets."""
    named = os.environ.get("KRING_SECRETS_DIR") or DEFAULT_SECRETS_DIR
    return [Path(part) for part in named.split(os.pathsep) if part and Path(part).is_dir()]


class ServiceSettings(BaseSettings):
    """Shared settings. A service subclasses this and sets `service_name`'s default."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    service_name: str = "kring"
    # development: the repository's placeholder secrets are accepted (and said so at start);
    # test and production: every secret must be set to a value of one's own, or the service
    # refuses to start (kring_platform.secrets). The local test stack runs as `test`.
    environment: Environment = "development"
    database_url: str = Field(
        default="postgresql+psycopg://kring@127.0.0.1:55432/kring",
        description="SQLAlchemy URL on psycopg 3",
    )
    # Connections a process keeps per pool, opened as needed; it has two (statements in
    # transactions, and single statements in autocommit) and the relay's listening
    # connection: at most 2 x this + 1 to its database.
    database_pool_size: int = Field(default=20, ge=1)
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # A managed broker: TLS (SSL, SASL_SSL) with the system's CAs or this CA file, and SASL.
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_ssl_cafile: Path | None = None
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    log_level: str = "INFO"
    # Shared with the gateway, which signs each caller's identity with it (see identity.py).
    # Unset: requests are not checked (in-process tests only; a warning says so at start-up).
    gateway_identity_key: SecretStr | None = None
    # Load shedding (kring_platform.load_shedding): requests one process serves at once;
    # beyond that, 503 + Retry-After at once instead of a queue that grows. 0: no bound.
    http_max_in_flight: int = Field(default=64, ge=0)
    # ... and none while the event loop has run this much late at each of its last five ticks
    # (a CPU-bound queue; one long call such as a PDF rendered in the loop is one late tick
    # and sheds nothing). 0: no bound.
    http_max_loop_lag_ms: int = Field(default=500, ge=0)

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
    # Records of each partition taken per fetch, and the most one transaction applies
    # (a fetch's small partitions share one).
    consumer_batch_size: int = 500

    # The settings holding secrets (checked outside development); services add their own.
    secret_settings: ClassVar[tuple[str, ...]] = ("gateway_identity_key",)

    def required_secrets(self) -> tuple[str, ...]:
        """Every secret setting this configuration needs (the SASL password only with SASL)."""
        sasl = ("kafka_sasl_password",) if self.kafka_sasl_mechanism else ()
        return (*self.secret_settings, *sasl)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The folders are looked up now, not at import: an environment variable wins over a
        # file of the same name.
        files = SecretsSettingsSource(settings_cls, secrets_dir=secrets_dirs() or None)
        return (init_settings, env_settings, dotenv_settings, files)

    @property
    def psycopg_dsn(self) -> str:
        """The same database as a libpq URL, for the raw psycopg connection that LISTENs."""
        return self.database_url.replace("postgresql+psycopg://", "postgresql://", 1)

    @property
    def event_source(self) -> str:
        return f"/kring/{self.service_name}"
