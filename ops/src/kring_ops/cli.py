"""The `kringctl` entry point: one Typer app, each command group registered by its module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="kringctl",
    help="Operate a running Kring deployment: users, DLQ, topics, runs, imports, status.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def kringctl() -> None:
    """Operate a running Kring deployment (configured by environment variables or flags)."""


def main() -> None:
    app()
