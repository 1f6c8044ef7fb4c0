"""Where the deployment is: flags on `kringctl` or the environment (`eval "$(./kring env)"`
gives the local stack's)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import typer
from sqlalchemy.engine import make_url

from kring_ops.errors import USAGE, OpsError, fail

SERVICES = ("gateway", "contacts", "newsletters", "memberships", "billing", "billing-worker")
# A second kind of process of a service shares its database (billing's workers).
DATABASE_OF = {"billing-worker": "billing"}


@dataclass(frozen=True)
class Deployment:
    gateway_url: str | None
    bootstrap_servers: str | None
    pg_url: str | None
    admin_email: str | None
    admin_password: str | None
    admin_token: str | None

    # Called before a command's async work starts, too: they end the command themselves.
    def need_gateway(self) -> str:
        if not self.gateway_url:
            raise fail("no gateway URL: set KRING_GATEWAY_URL or --gateway-url", USAGE)
        return self.gateway_url

    def need_kafka(self) -> str:
        if not self.bootstrap_servers:
            raise fail("no Kafka: set KAFKA_BOOTSTRAP_SERVERS or --bootstrap-servers", USAGE)
        return self.bootstrap_servers

    def service_url(self, service: str) -> str | None:
        """KRING_<SERVICE>_URL, as `kring env` exports it."""
        return os.environ.get(f"KRING_{_env_name(service)}_URL")

    def database_url(self, service: str) -> str:
        """KRING_<SERVICE>_DATABASE_URL, else the server of KRING_PG_ADMIN_URL with the
        service's database (named after the service), as SQLAlchemy on psycopg 3."""
        database = DATABASE_OF.get(service, service)
        explicit = os.environ.get(f"KRING_{_env_name(database)}_DATABASE_URL")
        if explicit:
            return _psycopg(explicit)
        if not self.pg_url:
            raise OpsError(
                f"no database for {database}: set KRING_{_env_name(database)}_DATABASE_URL "
                "or KRING_PG_ADMIN_URL / --pg-url",
                USAGE,
            )
        return _psycopg(make_url(self.pg_url).set(database=database).render_as_string(False))


def _env_name(service: str) -> str:
    return service.upper().replace("-", "_")


def _psycopg(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def deployment(ctx: typer.Context) -> Deployment:
    found = ctx.find_object(Deployment)
    if found is None:
        raise OpsError("kringctl was not set up (call it through its main command)")
    return found
