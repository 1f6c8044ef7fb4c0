"""The gateway's settings (environment variables, see ServiceSettings)."""

from pathlib import Path

from pydantic import Field, SecretStr, field_validator

from kring_gateway.web_app import default_web_dir
from kring_platform.settings import ServiceSettings

# Development only: the stack gives every profile a generated key (TOKEN_SIGNING_KEY).
DEVELOPMENT_TOKEN_KEY = "development-only-token-signing-key"


class Settings(ServiceSettings):
    service_name: str = "gateway"

    # Where the services listen (loopback); the stack sets them per profile.
    contacts_url: str = "http://127.0.0.1:8001"
    newsletters_url: str = "http://127.0.0.1:8002"
    memberships_url: str = "http://127.0.0.1:8003"
    billing_url: str = "http://127.0.0.1:8004"
    # Per forwarded call: connecting, and the whole answer.
    upstream_connect_timeout_s: float = 2.0
    upstream_timeout_s: float = 15.0
    upstream_max_connections: int = 100
    # Larger request bodies are refused (413) before being forwarded.
    max_body_bytes: int = 5 * 1024 * 1024
    # The merged OpenAPI document is fetched from the services at most this often.
    api_description_ttl_s: float = 30.0

    # Access tokens (JWT, HS256, signed here) and refresh tokens (opaque, stored hashed).
    token_signing_key: SecretStr = SecretStr(DEVELOPMENT_TOKEN_KEY)
    token_issuer: str = "kring-gateway"
    token_audience: str = "kring-api"
    access_token_ttl_s: int = Field(default=300, ge=30, le=3600)
    refresh_token_ttl_s: int = Field(default=14 * 24 * 3600, ge=300)

    # Argon2id costs (RFC 9106's second choice by default; tests lower them).
    password_time_cost: int = Field(default=3, ge=1)
    password_memory_kib: int = Field(default=65536, ge=8)
    password_parallelism: int = Field(default=4, ge=1)

    # Login protection: failures per account within the window lock it for lock_s; any
    # attempts beyond the limits (per account, per client address) within the window get 429.
    login_window_s: int = 900
    login_max_attempts_per_account: int = 10
    login_max_attempts_per_address: int = 30
    lock_after_failures: int = 5
    lock_s: int = 900
    # Behind a reverse proxy that sets X-Forwarded-For/-Proto (only then: a client could
    # forge them otherwise).
    trust_forwarded_headers: bool = False

    # Browsers on these origins may call the API (CORS), e.g. ["https://kring.example.org"].
    cors_origins: list[str] = Field(default_factory=list)

    # The built staff web app, served at `/` (WEB_DIR; by default `<repo>/web/dist` when it
    # exists). None: `/` answers 404 like any unknown path.
    web_dir: Path | None = Field(default_factory=default_web_dir)

    @field_validator("token_signing_key")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value().encode()) < 32:
            raise ValueError("TOKEN_SIGNING_KEY needs at least 32 bytes")
        return value

    def service_urls(self) -> dict[str, str]:
        """Each service the gateway forwards to, by its name in `/api/v1/<name>/...`."""
        return {
            "contacts": self.contacts_url,
            "newsletters": self.newsletters_url,
            "memberships": self.memberships_url,
            "billing": self.billing_url,
        }
