"""The e2e tier: the services run as real processes (uvicorn) against the Postgres and Kafka
that `./kring test` started, each on a database of its own for this run. Tests talk to them
over HTTP only and wait for convergence instead of sleeping."""

import signal
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from kring_platform.testing.resending import ResendingAsyncTransport
from kring_stack.callers import identity_key, signed_as
from kring_stack.postgres import drop_database
from kring_stack.profiles import Profile, get_profile
from kring_stack.services import SERVICES, kill_service, migrate, start_service

SYSTEM = ("contacts", "newsletters", "memberships", "gateway", "billing", "billing-worker")
# Every test signs in from 127.0.0.1, the browser tests through the login screen, and one
# login of each role serves the whole run: the guessing limits (30 attempts per address, 10
# per account in 15 minutes) would refuse the suite itself. Locking after failures stays on.
SERVICE_ENV = {
    "gateway": {
        "LOGIN_MAX_ATTEMPTS_PER_ADDRESS": "100000",
        "LOGIN_MAX_ATTEMPTS_PER_ACCOUNT": "100000",
    }
}


@pytest.hookimpl(trylast=True)  # after pytest groups the items by their session fixtures
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests run last: Playwright's sync API keeps an event loop of its own set
    for the rest of the session, and pytest-asyncio cannot run a test beside it."""
    browser = [item for item in items if "/e2e/browser/" in item.path.as_posix()]
    if browser:
        items[:] = [item for item in items if item not in browser] + browser


@dataclass
class RunningSystem:
    """The services of this test run, and how to crash and restart them."""

    profile: Profile
    databases: dict[str, str]
    urls: dict[str, str] = field(default_factory=dict)

    def start(self, name: str) -> None:
        self.urls[name] = start_service(
            name, self.profile, SERVICE_ENV.get(name), database=self.databases[name]
        )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        kill_service(name, self.profile, sig)

    def restart(self, name: str, sig: int = signal.SIGKILL) -> None:
        self.kill(name, sig)
        self.start(name)

    @property
    def identity_key(self) -> bytes:
        """The key the stack gave the gateway and every service."""
        return identity_key(self.profile)

    def client(self, name: str, timeout: float = 10.0, *, signed: bool = True) -> httpx.AsyncClient:
        """An HTTP client for one service; every e2e test talks to the services through this
        (the one place that adds what a caller must carry): the gateway's signed identity of
        an admin, unless `signed=False` (to see a service refuse the unsigned)."""
        auth = signed_as(self.profile) if signed else None
        # Idle connections are dropped before uvicorn's 5 s keep-alive closes them: a request
        # sent on a connection the server is closing fails with "disconnected".
        limits = httpx.Limits(keepalive_expiry=2.0)
        return httpx.AsyncClient(
            base_url=self.urls[name],
            timeout=timeout,
            auth=auth,
            transport=ResendingAsyncTransport(httpx.AsyncHTTPTransport(limits=limits)),
        )


@pytest.fixture(scope="session")
def system() -> Iterator[RunningSystem]:
    profile = get_profile()
    run = uuid.uuid4().hex[:8]
    # A second kind of process of a service (billing's workers) shares its database.
    databases = {name: f"{SERVICES[name].part_of or name}_e2e_{run}" for name in SYSTEM}
    running = RunningSystem(profile, databases)
    for name in SYSTEM:
        migrate(name, profile, database=running.databases[name])
        running.start(name)
    yield running
    for name in SYSTEM:
        running.kill(name, signal.SIGTERM)
    for database in set(databases.values()):
        drop_database(profile, database)


@pytest.fixture
async def contacts(system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    async with system.client("contacts") as client:
        yield client


@pytest.fixture
async def newsletters(system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    async with system.client("newsletters") as client:
        yield client


@pytest.fixture
def unique() -> str:
    """A suffix that keeps this test's names apart from every other test's."""
    return uuid.uuid4().hex[:8]
