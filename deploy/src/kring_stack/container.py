"""The container image's entry point: `python -m kring_stack.container <command>`.

    serve <service>             the service (or `billing-worker`) on 0.0.0.0:$PORT (8000)
    migrate <service>...        `alembic upgrade heads` of each service's database, from
                                <SERVICE>_DATABASE_URL, else DATABASE_URL
    topics                      create or grow the topics of kring_contracts.TOPICS on
                                $KAFKA_BOOTSTRAP_SERVERS
    setup                       migrate every service, then topics (Compose's one-shot)
    healthcheck [live|ready]    exit 0 when /health/<which> on $PORT answers 200 (the image's
                                HEALTHCHECK; the image has no curl)
    anything else               run as given (`kringctl ...`, `kring-gateway-bootstrap-admin`)

Before any command, PGPASSWORD_FILE (a Compose secret) becomes PGPASSWORD, which libpq reads,
unless PGPASSWORD is set. The services read their own secret settings from /run/secrets
themselves (kring_platform.settings); Postgres' password is not one of their settings.
"""

import asyncio
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

from kring_stack.services import KNOWN_SERVICES, ServiceSpec

DEFAULT_PORT = 8000
FILE_SUFFIX = "_FILE"
# Only these: other *_FILE variables of a machine (TF_CLI_CONFIG_FILE, ...) are not secrets.
FILE_VARIABLES = ("PGPASSWORD",)
# Where the image keeps the workspace; the services' alembic.ini files lie under it.
APP_ROOT = Path(os.environ.get("KRING_REPO", "/app"))
HEALTH_TIMEOUT_S = 3.0
# Any constant; the lock lives in each service's own database ("kring" in ASCII).
MIGRATION_LOCK_KEY = 0x6B72696E67


class UsageError(Exception):
    """A command line the entry point cannot run; the message says why."""


def specs_by_name() -> dict[str, ServiceSpec]:
    return {spec.name: spec for spec in KNOWN_SERVICES}


def migratable_services() -> list[str]:
    """Services that own a database (workers share theirs and never migrate it)."""
    return [spec.name for spec in KNOWN_SERVICES if spec.part_of is None]


def expand_file_variables(environ: Mapping[str, str]) -> dict[str, str]:
    """`PGPASSWORD_FILE=/run/secrets/x` gives `PGPASSWORD=<content without the trailing
    newline>`; a PGPASSWORD set explicitly wins. Returns only the variables to add."""
    added: dict[str, str] = {}
    for target in FILE_VARIABLES:
        path = environ.get(target + FILE_SUFFIX)
        if path and target not in environ:
            try:
                added[target] = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
            except OSError as exc:
                raise UsageError(f"{target}{FILE_SUFFIX}: cannot read {path} ({exc})") from exc
    return added


def serve_command(service: str, port: int) -> list[str]:
    spec = specs_by_name().get(service)
    if spec is None:
        raise UsageError(f"unknown service {service!r}; known: {', '.join(specs_by_name())}")
    # Proxy headers are honoured from FORWARDED_ALLOW_IPS (uvicorn reads it; default loopback).
    return spec.serve_command("0.0.0.0", port)


def migration_database_url(service: str, environ: Mapping[str, str]) -> str:
    """The per-service URL lets one migration job serve all databases; DATABASE_URL suits a
    job per service."""
    variable = f"{service.upper()}_DATABASE_URL"
    url = environ.get(variable) or environ.get("DATABASE_URL")
    if not url:
        raise UsageError(f"migrating {service} needs {variable} or DATABASE_URL")
    return url


def migrate_one(service: str, environ: Mapping[str, str]) -> int:
    """Under a Postgres advisory lock: replicas migrating at once (init containers) take
    turns, and the later ones find nothing left to do."""
    import subprocess

    import psycopg

    url = migration_database_url(service, environ)
    ini = APP_ROOT / "services" / service / "alembic.ini"
    command = [sys.executable, "-m", "alembic", "-c", str(ini), "upgrade", "heads"]
    libpq_url = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(libpq_url, autocommit=True) as lock:
        lock.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        print(f"migrating {service}", flush=True)
        env = {**environ, "DATABASE_URL": url}
        return subprocess.run(command, env=env, check=False).returncode


def migrate(services: Sequence[str], environ: Mapping[str, str]) -> int:
    unknown = sorted(set(services) - set(migratable_services()))
    if unknown or not services:
        raise UsageError(f"migrate takes some of {', '.join(migratable_services())}; got {unknown}")
    for service in services:
        if status := migrate_one(service, environ):
            return status
    return 0


def ensure_topics(environ: Mapping[str, str]) -> int:
    from kring_platform.topics import ensure_topics_async

    bootstrap = environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not bootstrap:
        raise UsageError("topics needs KAFKA_BOOTSTRAP_SERVERS")
    changed = asyncio.run(ensure_topics_async(bootstrap))
    print(f"topics in line with kring_contracts ({len(changed)} created or changed)")
    return 0


def healthcheck(which: str, port: int) -> int:
    if which not in ("live", "ready"):
        raise UsageError("healthcheck takes live or ready")
    url = f"http://127.0.0.1:{port}/health/{which}"
    try:
        with urllib.request.urlopen(url, timeout=HEALTH_TIMEOUT_S) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


def run(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    """Runs or execs the command; the exit status for those it runs itself."""
    if not argv:
        raise UsageError(__doc__ or "")
    command, *rest = argv
    port = int(environ.get("PORT", DEFAULT_PORT))
    if command == "serve" and len(rest) == 1:
        os.execve(sys.executable, serve_command(rest[0], port), dict(environ))
    if command == "migrate":
        return migrate(rest, environ)
    if command == "topics" and not rest:
        return ensure_topics(environ)
    if command == "setup" and not rest:
        return migrate(migratable_services(), environ) or ensure_topics(environ)
    if command == "healthcheck" and len(rest) <= 1:
        return healthcheck(rest[0] if rest else "live", port)
    if command in ("serve", "topics", "setup", "healthcheck"):
        raise UsageError(f"wrong arguments for {command}: {' '.join(rest) or '(none)'}")
    os.execvpe(command, list(argv), dict(environ))


def main(argv: Sequence[str] | None = None) -> int:
    environ = dict(os.environ)
    try:
        environ.update(expand_file_variables(environ))
        os.environ.update(environ)
        return run(list(sys.argv[1:] if argv is None else argv), environ)
    except UsageError as exc:
        print(f"kring container: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
