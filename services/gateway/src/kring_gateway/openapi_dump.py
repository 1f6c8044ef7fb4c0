"""`kring-gateway-openapi OUTPUT.json`: the merged OpenAPI document `/openapi.json` serves,
written without a running server, Postgres or Kafka (the web app generates its TypeScript
types from it).

Every service's app and the gateway are created in-process; the gateway reaches the services
through `httpx.ASGITransport` instead of the network and is itself asked for `/openapi.json`,
so the document is the served one by construction (same merge, same signed identity). Keys
are sorted and the file ends with a newline: the same code gives the same bytes."""

import argparse
import asyncio
import importlib
import json
import logging
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from kring_gateway.settings import Settings

SERVICES = ("contacts", "newsletters", "memberships", "billing")
# Creating an app needs a database URL; describing its routes never connects to it.
UNUSED_DATABASE = "postgresql+psycopg://unused@127.0.0.1:1/unused"


class DumpError(Exception):
    pass


@contextmanager
def _import_time_apps_quiet() -> Iterator[None]:
    """Each `main` module builds an app from the environment when imported, which warns that
    it has no identity key; those apps go unused here, and the warning would mislead."""
    identity_log = logging.getLogger("kring_platform.identity")
    was_disabled, identity_log.disabled = identity_log.disabled, True
    try:
        yield
    finally:
        identity_log.disabled = was_disabled


def service_app(name: str, identity_key: SecretStr) -> FastAPI:
    """The service's app as `kring_<name>.main` builds it, with settings of our own."""
    try:
        with _import_time_apps_quiet():
            main = importlib.import_module(f"kring_{name}.main")
        settings = importlib.import_module(f"kring_{name}.settings").Settings(
            database_url=UNUSED_DATABASE, gateway_identity_key=identity_key
        )
    except ModuleNotFoundError as exc:
        # The gateway alone does not bring the services: install kring-gateway[openapi].
        raise DumpError(f"the {name} service is not installed ({exc.name})") from exc
    app: FastAPI = main.create_app(settings)
    return app


async def merged_document() -> dict[str, Any]:
    """What the gateway's `/openapi.json` answers with every service in-process."""
    # A key for this run only: the services check the gateway's signature as in production.
    identity_key = SecretStr(secrets.token_urlsafe(32))
    transports: dict[str, httpx.AsyncBaseTransport] = {
        name: httpx.ASGITransport(service_app(name, identity_key)) for name in SERVICES
    }
    settings = Settings(
        database_url=UNUSED_DATABASE, gateway_identity_key=identity_key, web_dir=None
    )
    with _import_time_apps_quiet():
        from kring_gateway.main import create_app
    gateway = create_app(settings, transports=transports)
    async with (
        gateway.router.lifespan_context(gateway),
        httpx.AsyncClient(transport=httpx.ASGITransport(gateway), base_url="http://gateway") as c,
    ):
        answer = await c.get("/openapi.json")
    if answer.status_code != 200:
        raise DumpError(f"/openapi.json answered {answer.status_code}: {answer.text[:500]}")
    document: dict[str, Any] = answer.json()
    if missing := document["info"].get("x-kring-unavailable-services"):
        raise DumpError(f"services missing from the document: {', '.join(missing)}")
    return document


def render(document: dict[str, Any]) -> str:
    """Deterministic text: sorted keys, two-space indent, UTF-8 as is, a final newline."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kring-gateway-openapi",
        description="Write the gateway's merged OpenAPI document (no server, database or "
        "broker needed).",
    )
    parser.add_argument("output", help="the file to write, or - for standard output")
    args = parser.parse_args(argv)
    try:
        text = render(asyncio.run(merged_document()))
    except DumpError as exc:
        print(f"kring-gateway-openapi: {exc}", file=sys.stderr)
        return 1
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
