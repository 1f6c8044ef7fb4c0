"""The Kring services the stack runs: one line of data each, plus migrate/start/kill.

Test fixtures start the services they need through these functions, e.g.
`start_service("contacts", get_profile("test"))`, and kill them to see what survives.
"""

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from kring_stack.kafka import bootstrap_servers
from kring_stack.postgres import ensure_database, sqlalchemy_url
from kring_stack.processes import (
    StackError,
    ensure_port_free,
    exclusive,
    launch,
    running_pid,
    stop,
    stop_from_pid_file,
    tail,
    wait_until,
)
from kring_stack.profiles import REPO_ROOT, Profile
from kring_stack.secrets import CARD_KEY, IDENTITY_KEY, TOKEN_KEY, UNSUBSCRIBE_KEY, stack_secret

WEB_DIST = REPO_ROOT / "web" / "dist"

# Replica k of a service listens on its port + k * this (8001, 8101, 8201, ...); at most
# MAX_REPLICAS instances, so they stay clear of the next slot's ports (+500).
REPLICA_PORT_STEP = 100
MAX_REPLICAS = 5


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    app: str  # what uvicorn serves, "module:attribute"
    database: str
    port: int  # in the dev profile; other profiles add their service_port_offset
    # A second kind of process of a service (e.g. billing's workers) names the service whose
    # folder, code and database it shares; the service itself migrates that database.
    part_of: str | None = None
    # uvicorn's line per request costs a refusal under load a third of its CPU (0.1-0.15 ms of
    # ~0.4). The gateway keeps it: it is the record of who asked what; a service behind it
    # counts its requests in its metrics (kring_http_requests) and logs its errors.
    access_log: bool = False

    @property
    def directory(self) -> Path:
        return REPO_ROOT / "services" / (self.part_of or self.name)

    def port_for(self, profile: Profile, replica: int = 0) -> int:
        return self.port + profile.service_port_offset + replica * REPLICA_PORT_STEP

    def serve_command(self, host: str, port: int) -> list[str]:
        """The uvicorn command line that serves this service on `host`:`port`."""
        command = [sys.executable, "-m", "uvicorn", self.app, "--host", host, "--port", str(port)]
        return command if self.access_log else [*command, "--no-access-log"]


KNOWN_SERVICES = (
    # The one entry for the web frontend; the others listen for it (and tools) only.
    ServiceSpec(
        "gateway", app="kring_gateway.main:app", database="gateway", port=8000, access_log=True
    ),
    ServiceSpec("contacts", app="kring_contacts.main:app", database="contacts", port=8001),
    ServiceSpec("newsletters", app="kring_newsletters.main:app", database="newsletters", port=8002),
    ServiceSpec("memberships", app="kring_memberships.main:app", database="memberships", port=8003),
    ServiceSpec("billing", app="kring_billing.main:app", database="billing", port=8004),
    # Contribution-run workers: scaled like any other (`./kring up --replicas billing-worker=N`).
    ServiceSpec(
        "billing-worker",
        app="kring_billing.worker:app",
        database="billing",
        port=8005,
        part_of="billing",
    ),
)

# Only the services already in the tree, so the stack runs while others are being written.
SERVICES: dict[str, ServiceSpec] = {
    spec.name: spec for spec in KNOWN_SERVICES if (spec.directory / "pyproject.toml").is_file()
}


def _spec(name: str) -> ServiceSpec:
    try:
        return SERVICES[name]
    except KeyError:
        raise StackError(f"unknown service {name!r}; known: {', '.join(SERVICES)}") from None


def _instance(name: str, replica: int) -> str:
    return name if replica == 0 else f"{name}-{replica}"


def _pid_file(name: str, profile: Profile, replica: int) -> Path:
    return profile.run_dir / f"service-{_instance(name, replica)}.pid"


def _log_file(name: str, profile: Profile, replica: int) -> Path:
    return profile.logs_dir / f"{_instance(name, replica)}.log"


def _marker(spec: ServiceSpec, profile: Profile, replica: int) -> str:
    return f"{spec.app} --host 127.0.0.1 --port {spec.port_for(profile, replica)}"


def service_url(name: str, profile: Profile, replica: int = 0) -> str:
    return f"http://127.0.0.1:{_spec(name).port_for(profile, replica)}"


# Links that leave the building (unsubscribe links, QR codes on member cards and resources)
# point through the gateway, the one entry reachable from outside: the setting and the path.
# A QR code opens a page of the web app (a person scans it), not the JSON behind it.
PUBLIC_LINKS = {
    "contacts": ("RESOURCE_PROFILE_BASE_URL", "/resources/"),
    "memberships": ("CARD_VERIFY_URL", "/verify"),
    "newsletters": ("PUBLIC_BASE_URL", "/api/v1/newsletters"),
    # The web app's pages the gateway's mails link to (/invite/..., /reset-password/...).
    "gateway": ("PUBLIC_BASE_URL", ""),
}


def service_env(name: str, profile: Profile, database: str | None = None) -> dict[str, str]:
    """What a service reads from its environment to find the stack."""
    spec = _spec(name)
    env = {
        "SERVICE_NAME": name,
        "DATABASE_URL": sqlalchemy_url(profile, database or spec.database),
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers(profile),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(profile.smtp_port),
        # The gateway signs each caller's identity with it; every service checks it.
        "GATEWAY_IDENTITY_KEY": stack_secret(profile, IDENTITY_KEY),
        # The dev profile accepts development defaults; the test profile runs as a deployment
        # would: every secret set (below), or the service refuses to start.
        "ENVIRONMENT": "development" if profile.name == "dev" else "test",
    }
    if name == "newsletters":
        env["UNSUBSCRIBE_SECRET"] = stack_secret(profile, UNSUBSCRIBE_KEY)
    if name == "memberships":
        env["CARD_SECRETS"] = json.dumps([stack_secret(profile, CARD_KEY)])
    if link := PUBLIC_LINKS.get(name):
        setting, path = link
        env[setting] = service_url("gateway", profile) + path
    if name == "gateway":
        env["TOKEN_SIGNING_KEY"] = stack_secret(profile, TOKEN_KEY)
        for other in SERVICES.values():
            if other.name != "gateway" and other.part_of is None:
                # Every instance running now; the gateway balances over them.
                env[f"{other.name.upper()}_URL"] = ",".join(replica_urls(other.name, profile))
        # The staff web app, once built, served at `/` by the gateway.
        if WEB_DIST.is_dir():
            env["WEB_DIR"] = str(WEB_DIST)
    return env


def _process_env(
    name: str, profile: Profile, database: str | None, extra_env: dict[str, str] | None
) -> dict[str, str]:
    env = {**os.environ, **service_env(name, profile, database), "PYTHONUNBUFFERED": "1"}
    env.setdefault("OTEL_TRACES_EXPORTER", "none")
    return {**env, **(extra_env or {})}


def migrate(
    name: str,
    profile: Profile,
    *,
    database: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> bool:
    """Create the service's database if absent and upgrade it to its heads (independent
    branches of one service's migrations may exist side by side); False if it has no Alembic
    setup yet."""
    spec = _spec(name)
    if spec.part_of or not (spec.directory / "alembic.ini").is_file():
        return False
    ensure_database(profile, database or spec.database)
    log_file = _log_file(name, profile, 0)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    # Run from the service folder: a relative script_location in alembic.ini is taken from cwd.
    with log_file.open("ab") as log:
        result = subprocess.run(
            [sys.executable, "-m", "alembic", "-c", "alembic.ini", "upgrade", "heads"],
            cwd=spec.directory,
            env=_process_env(name, profile, database, extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if result.returncode != 0:
        raise StackError(
            f"migrating {name} failed\n--- last lines of {log_file} ---\n{tail(log_file)}"
        )
    return True


def service_pid(name: str, profile: Profile, replica: int = 0) -> int | None:
    return running_pid(_pid_file(name, profile, replica), _marker(_spec(name), profile, replica))


def running_replicas(name: str, profile: Profile) -> list[int]:
    """The replica numbers of the service's instances that run now (0 is the first)."""
    return [k for k in range(MAX_REPLICAS) if service_pid(name, profile, k) is not None]


def replica_urls(name: str, profile: Profile) -> list[str]:
    """The base URLs of the service's running instances; the first instance's URL when none
    runs yet (so a gateway started before its services still knows where they will be)."""
    urls = [service_url(name, profile, k) for k in running_replicas(name, profile)]
    return urls or [service_url(name, profile)]


@dataclass(frozen=True)
class Instance:
    service: str
    replica: int
    pid: int
    url: str


def running_instances(profile: Profile) -> list[Instance]:
    """Every service process of the stack that runs now, replicas included."""
    return [
        Instance(name, replica, pid, service_url(name, profile, replica))
        for name in SERVICES
        for replica in range(MAX_REPLICAS)
        if (pid := service_pid(name, profile, replica)) is not None
    ]


def service_ready(name: str, profile: Profile, replica: int = 0) -> bool:
    try:
        response = httpx.get(f"{service_url(name, profile, replica)}/health/ready", timeout=2.0)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def start_service(
    name: str,
    profile: Profile,
    extra_env: dict[str, str] | None = None,
    *,
    database: str | None = None,
    replica: int = 0,
    # Five services starting at once beside a busy test run can take over a minute on 2 cores.
    timeout: float = 150.0,
) -> str:
    """Start the service (if not running) and wait until /health/ready answers 200.

    Does not migrate: call migrate() first. Returns the service's base URL.
    """
    with exclusive(profile.run_dir / f"service-{_instance(name, replica)}.lock"):
        return _start_unlocked(
            _spec(name), profile, extra_env, database=database, replica=replica, timeout=timeout
        )


def _start_unlocked(
    spec: ServiceSpec,
    profile: Profile,
    extra_env: dict[str, str] | None,
    *,
    database: str | None,
    replica: int,
    timeout: float,
) -> str:
    name = spec.name
    if not 0 <= replica < MAX_REPLICAS:
        raise StackError(f"replica {replica} of {name}: 0 to {MAX_REPLICAS - 1} are possible")
    url = service_url(name, profile, replica)
    if service_pid(name, profile, replica) is not None:
        return url
    port = spec.port_for(profile, replica)
    ensure_port_free(port, f"service {_instance(name, replica)}")
    log_file = _log_file(name, profile, replica)
    pid = launch(
        spec.serve_command("127.0.0.1", port),
        log_file=log_file,
        pid_file=_pid_file(name, profile, replica),
        env=_process_env(name, profile, database, extra_env),
        cwd=spec.directory,
    )
    try:
        wait_until(
            lambda: service_ready(name, profile, replica),
            what=f"service {_instance(name, replica)}",
            timeout=timeout,
            pid=pid,
            log_file=log_file,
            interval=0.2,
        )
    except StackError:
        stop(pid, timeout=5.0)  # a half-started instance would hold the port for the next try
        raise
    return url


def kill_service(
    name: str, profile: Profile, sig: int = signal.SIGTERM, *, replica: int = 0
) -> bool:
    """Signal the service and wait until it is gone; True if it was running.

    SIGTERM is a graceful stop; SIGKILL simulates a crash.
    """
    return stop_from_pid_file(
        _pid_file(name, profile, replica), _marker(_spec(name), profile, replica), sig=sig
    )


def stop_all_services(profile: Profile) -> list[str]:
    """Stop every service instance that has a pid file, registered or not; their names."""
    stopped = []
    for pid_file in sorted(profile.run_dir.glob("service-*.pid")):
        # The command line of any uvicorn we started names its port; that is marker enough.
        if stop_from_pid_file(pid_file, "uvicorn"):
            stopped.append(pid_file.stem.removeprefix("service-"))
    return stopped
