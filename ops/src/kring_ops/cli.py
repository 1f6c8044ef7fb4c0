"""The `kringctl` entry point: one Typer app, each command group registered by its module."""

from __future__ import annotations

import logging
import os
from typing import Annotated

import typer

from kring_ops import dlq, imports, runs, status, topics, users
from kring_ops.config import Deployment

app = typer.Typer(
    name="kringctl",
    help="Operate a running Kring deployment: users, DLQ, topics, runs, imports, status.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def kringctl(
    ctx: typer.Context,
    gateway_url: Annotated[
        str | None, typer.Option(envvar="KRING_GATEWAY_URL", help="The gateway's base URL")
    ] = None,
    bootstrap_servers: Annotated[
        str | None, typer.Option(envvar="KAFKA_BOOTSTRAP_SERVERS", help="Kafka brokers")
    ] = None,
    pg_url: Annotated[
        str | None,
        typer.Option(
            envvar="KRING_PG_ADMIN_URL",
            help="A Postgres server URL; each service's database is named after it "
            "(or set KRING_<SERVICE>_DATABASE_URL)",
        ),
    ] = None,
    admin_email: Annotated[
        str | None,
        typer.Option(envvar="KRING_ADMIN_EMAIL", help="The admin login used at the gateway"),
    ] = None,
    admin_password: Annotated[
        str | None,
        typer.Option(envvar="KRING_ADMIN_PASSWORD", show_default=False, help="Its password"),
    ] = None,
    admin_token: Annotated[
        str | None, typer.Option(envvar="KRING_ADMIN_TOKEN", help="An access token instead")
    ] = None,
) -> None:
    """Operate a running Kring deployment (configured by environment variables or flags)."""
    ctx.obj = Deployment(
        gateway_url, bootstrap_servers, pg_url, admin_email, admin_password, admin_token
    )


app.add_typer(users.app, name="users")
app.add_typer(dlq.app, name="dlq")
app.add_typer(topics.app, name="topics")
app.add_typer(runs.app, name="run")
app.add_typer(imports.app, name="import")
app.command("status")(status.status)


def _register_backup() -> None:
    """backup/restore come from kring_ops.backup (written apart) once it is there."""
    try:
        from kring_ops import backup
    except ModuleNotFoundError as error:
        if error.name != "kring_ops.backup":
            raise
        return
    backup.register(app)


_register_backup()


def main() -> None:
    # Library loggers (aiokafka retrying a broker, say) would add lines of their own before
    # the one a failure ends with; KRING_LOG_LEVEL=INFO shows them.
    level = os.environ.get("KRING_LOG_LEVEL", "").upper()
    logging.basicConfig(
        level=level if level in logging.getLevelNamesMapping() else logging.CRITICAL,
        format="%(levelname)s %(name)s: %(message)s",
    )
    app()
