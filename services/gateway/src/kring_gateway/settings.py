"""The gateway's settings (environment variables, see ServiceSettings)."""

from pathlib import Path
from typing import ClassVar

from pydantic import Field, SecretStr, field_validator

from kring_gateway.edge.web_app import default_web_dir
from kring_platform.mail import MailSettings
from kring_platform.settings import ServiceSettings

# Development only: the stack gives every profile a generated key (TOKEN_SIGNING_KEY).
DEVELOPMENT_TOKEN_KEY = "development-only-token-signing-key"


class Settings(ServiceSettings, MailSettings):
    service_name: str = "gateway"
    secret_settings: ClassVar[tuple[str, ...]] = (
        *ServiceSettings.secret_settings,
        "token_signing_key",
    )

    # Where the services listen (loopback); the stack sets them per profile. A comma list
    # names a service's replicas: the gateway balances over them (see upstreams.py).
    contacts_url: str = "http://127.0.0.1:8001"
    newsletters_url: str = "http://127.0.0.1:8002"
    memberships_url: str = "http://127.0.0.1:8003"
    billing_url: str = "http://127.0.0.1:8004"
    # Per forwarded call: connecting, and the whole answer.
    upstream_connect_timeout_s: float = 2.0
    upstream_timeout_s: float = 15.0
    # Connections to each replica of a service. httpx's pool looks at every connection (and
    # asks each idle one's socket whether it was closed) whenever a request comes or goes:
    # with 100, the gateway spent 27 ms of CPU a profile at 50 clients, with 20, 18 ms
    # (issue #17). A service replica works on about as many requests at once as it has
    # database connections (20); more replicas carry more.
    upstream_max_connections: int = Field(default=20, ge=1)
    # A replica that refused a connection gets no requests for this long (passive health).
    upstream_down_s: float = Field(default=5.0, ge=0.0)
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
    # The previous refresh token still renews the session this long after it was exchanged:
    # a browser that navigated away during a refresh never stored the new cookie, and would
    # otherwise look like a thief replaying a token. Later replays end the session.
    refresh_reuse_grace_s: int = Field(default=10, ge=0, le=60)

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

    # Where people reach the web app: the links in invitation and password-reset mails are
    # `<PUBLIC_BASE_URL>/invite/<token>` and `<PUBLIC_BASE_URL>/reset-password/<token>`.
    public_base_url: str = "http://127.0.0.1:8000"
    # Invitations of contacts to a member login: how long a link is valid, how many one
    # login may send per hour (beyond: 429), how many contacts one bulk request may name.
    invitation_ttl_days: int = Field(default=14, ge=1, le=90)
    invitations_per_hour: int = Field(default=200, ge=1)
    invitation_bulk_max: int = Field(default=1000, ge=1, le=10000)
    # Forgot password: how long a link is valid, and requests per e-mail and per client
    # address within the window (beyond: 429, whether or not the e-mail has a login).
    password_reset_ttl_min: int = Field(default=30, ge=5, le=24 * 60)
    password_reset_window_s: int = 3600
    password_reset_max_per_email: int = Field(default=5, ge=1)
    password_reset_max_per_address: int = Field(default=20, ge=1)
    # Parallel SMTP connections for these mails.
    smtp_pool_size: int = Field(default=2, ge=1, le=16)

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

    def service_replica_urls(self) -> dict[str, list[str]]:
        """Each service's replicas: its setting split at commas."""
        return {
            name: [url.strip() for url in urls.split(",") if url.strip()]
            for name, urls in self.service_urls().items()
        }
