"""The e2e tier: the services run as real processes (uvicorn) against the Postgres and Kafka
that `./kring test` started, each on a database of its own for this run. Tests talk to them
over HTTP only and wait for convergence instead of sleeping."""

import signal
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from kring_stack.postgres import drop_database
from kring_stack.profiles import Profile, get_profile
from kring_stack.services import kill_service, migrate, start_service

SYSTEM = ("contacts", "newsletters", "memberships")


@dataclass
class RunningSystem:
    """The services of this test run, and how to crash and restart them."""

    profile: Profile
    databases: dict[str, str]
    urls: dict[str, str] = field(default_factory=dict)

    def start(self, name: str) -> None:
        self.urls[name] = start_service(name, self.profile, database=self.databases[name])

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        kill_service(name, self.profile, sig)

    def restart(self, name: str, sig: int = signal.SIGKILL) -> None:
        self.kill(name, sig)
        self.start(name)

    def client(self, name: str, timeout: float = 10.0) -> httpx.AsyncClient:
        """An HTTP client for one service; every e2e test talks to the services through this
        (the one place that adds what a caller must carry)."""
        return httpx.AsyncClient(base_url=self.urls[name], timeout=timeout)


@pytest.fixture(scope="session")
def system() -> Iterator[RunningSystem]:
    profile = get_profile()
    run = uuid.uuid4().hex[:8]
    running = RunningSystem(profile, {name: f"{name}_e2e_{run}" for name in SYSTEM})
    for name in SYSTEM:
        migrate(name, profile, database=running.databases[name])
        running.start(name)
    yield running
    for name in SYSTEM:
        running.kill(name, signal.SIGTERM)
        drop_database(profile, running.databases[name])


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
