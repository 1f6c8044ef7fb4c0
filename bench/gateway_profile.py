"""Benchmark: the aggregated contact profile through the gateway under concurrent clients
(default 50 for 30 s): requests/s and p50/p95/p99, beside the floor measured in the same run:
one direct call to the contacts service (GET /contacts/{id}, signed as the gateway signs it),
one at a time.

Run against the local stack:  ./kring up && uv run python bench/gateway_profile.py
(options: --clients 50 --seconds 30; see --help). Under load it also prints how many profiles
were offered (sent), achieved (answered whole) and shed (503), and each service's CPU time per
profile (from /proc of the stack's processes). It logs in as a bench admin it adds to the
gateway's database (of the profile in KRING_PROFILE / KRING_SLOT), creates one contact in two
groups through the gateway, waits until every section of its profile is there, then measures.
"""

import argparse
import asyncio
import os
import platform
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from proc_cpu import ServiceProcesses, cpu_per_request_line
from pydantic import SecretStr

from kring_gateway.logins.accounts import Accounts
from kring_gateway.roles import Role
from kring_gateway.schemas import UserCreate
from kring_gateway.settings import Settings
from kring_platform.db import Database
from kring_platform.identity import IDENTITY_HEADER, CallerIdentity, sign_identity
from kring_stack.callers import identity_key
from kring_stack.postgres import sqlalchemy_url
from kring_stack.profiles import get_profile
from kring_stack.services import service_url

SERVICES = ("gateway", "contacts", "newsletters", "memberships", "billing")
SECTIONS = ("contact", "groups", "memberships", "access", "subscriptions", "open_invoices")
PASSWORD = "bench password, long enough"


@dataclass
class Sample:
    label: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    shed: int = 0  # refused with 503 (load shedding): not counted as errors
    wall_s: float = 0.0
    first_error: str | None = None

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]

    def line(self) -> str:
        if not self.latencies_ms:
            return f"{self.label:<44} no answers ({self.errors} errors: {self.first_error})"
        rate = len(self.latencies_ms) / self.wall_s if self.wall_s else 0.0
        return (
            f"{self.label:<44} {rate:8.1f} req/s   p50 {statistics.median(self.latencies_ms):7.1f}"
            f"  p95 {self.percentile(95):7.1f}  p99 {self.percentile(99):7.1f} ms"
            f"   n={len(self.latencies_ms)} errors={self.errors}"
        )

    @property
    def offered(self) -> int:
        return len(self.latencies_ms) + self.errors + self.shed

    def counts_line(self) -> str:
        """Offered (sent), achieved (answered whole, per second) and shed (503)."""
        achieved = len(self.latencies_ms) / self.wall_s if self.wall_s else 0.0
        return (
            f"{'  offered / achieved / shed':<44} {self.offered} sent ("
            f"{self.offered / self.wall_s if self.wall_s else 0.0:.1f}/s), "
            f"{achieved:.1f}/s answered whole, {self.shed} shed with 503"
        )


async def bench_admin(database_url: str) -> str:
    """A fresh admin login in the gateway's database (argon2 at cheap costs would not match
    the gateway's, so it uses the defaults)."""
    email = f"bench-{uuid.uuid4().hex[:8]}@example.org"
    settings = Settings(database_url=database_url, token_signing_key=SecretStr("x" * 32))
    database = Database(database_url, pool_size=1)
    try:
        await Accounts(database, settings).create_user(
            UserCreate(email=email, password=PASSWORD, roles=[Role.ADMIN])
        )
    finally:
        await database.dispose()
    return email


async def prepare(gateway: httpx.AsyncClient, email: str) -> tuple[dict[str, str], str]:
    login = await gateway.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    login.raise_for_status()
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    run = uuid.uuid4().hex[:8]
    contact = await gateway.post(
        "/api/v1/contacts/contacts",
        json={"first_name": "Bench", "last_name": f"Profile {run}", "emails": [f"{run}@x.org"]},
        headers=headers,
    )
    contact.raise_for_status()
    contact_id = contact.json()["id"]
    for name in ("A", "B"):
        group = await gateway.post(
            "/api/v1/contacts/groups", json={"name": f"bench {run} {name}"}, headers=headers
        )
        group.raise_for_status()
        added = await gateway.put(
            f"/api/v1/contacts/groups/{group.json()['id']}/members/{contact_id}", headers=headers
        )
        added.raise_for_status()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        profile = (
            await gateway.get(f"/api/v1/contacts/{contact_id}/profile", headers=headers)
        ).json()
        missing = [name for name in SECTIONS if profile[name]["status"] != "ok"]
        if not missing:
            break
        await asyncio.sleep(0.5)
    else:
        print(f"warning: sections still not ok after 60 s: {missing}")
    return headers, contact_id


async def one_at_a_time(
    label: str, base_url: str, path: str, headers: Callable[[], dict[str, str]], count: int
) -> Sample:
    """`count` calls, one after the other: the latency without queueing."""
    sample = Sample(label)
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        started = time.perf_counter()
        for _ in range(count):
            begin = time.perf_counter()
            response = await client.get(path, headers=headers())
            if response.status_code == 200:
                sample.latencies_ms.append((time.perf_counter() - begin) * 1000)
            else:
                sample.errors += 1
        sample.wall_s = time.perf_counter() - started
    return sample


async def floor(contacts_url: str, key: bytes, contact_id: str, count: int) -> Sample:
    identity = CallerIdentity(user_id="bench", roles=("admin",), request_id="bench")
    return await one_at_a_time(
        "floor: direct contacts GET /contacts/{id}",
        contacts_url,
        f"/contacts/{contact_id}",
        lambda: {IDENTITY_HEADER: sign_identity(key, identity)},
        count,
    )


def not_ok(response: httpx.Response) -> str:
    """What made an answer an error: its status, or the sections that were not ok."""
    if response.status_code != 200:
        return f"{response.status_code} {response.text[:200]}"
    return ", ".join(
        f"{name}: {section['status']} ({section.get('detail')})"
        for name, section in response.json().items()
        if isinstance(section, dict) and section["status"] != "ok"
    )


async def load(
    gateway_url: str, headers: dict[str, str], contact_id: str, clients: int, seconds: float
) -> Sample:
    sample = Sample(f"gateway profile, {clients} clients")
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30, limits=limits) as gateway:
        stop_at = time.perf_counter() + seconds

        async def client() -> None:
            while time.perf_counter() < stop_at:
                begin = time.perf_counter()
                response = await gateway.get(
                    f"/api/v1/contacts/{contact_id}/profile", headers=headers
                )
                ok = response.status_code == 200 and all(
                    section["status"] == "ok"
                    for section in response.json().values()
                    if isinstance(section, dict)
                )
                if ok:
                    sample.latencies_ms.append((time.perf_counter() - begin) * 1000)
                elif response.status_code == 503:
                    sample.shed += 1
                else:
                    sample.errors += 1
                    sample.first_error = sample.first_error or not_ok(response)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        sample.wall_s = time.perf_counter() - started
    return sample


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--floor-calls", type=int, default=300)
    args = parser.parse_args()
    profile = get_profile()
    gateway_url = os.environ.get("KRING_GATEWAY_URL", service_url("gateway", profile))
    contacts_url = os.environ.get("KRING_CONTACTS_URL", service_url("contacts", profile))
    key = identity_key(profile)
    print(
        f"machine: {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}; stack profile {profile.name} slot {profile.slot}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    email = await bench_admin(sqlalchemy_url(profile, "gateway"))
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as gateway:
        headers, contact_id = await prepare(gateway, email)
    # Warm both paths (connections, caches) before counting.
    await floor(contacts_url, key, contact_id, 50)
    await load(gateway_url, headers, contact_id, args.clients, 2.0)
    direct = await floor(contacts_url, key, contact_id, args.floor_calls)
    forwarded = await one_at_a_time(
        "the same call through the gateway",
        gateway_url,
        f"/api/v1/contacts/contacts/{contact_id}",
        lambda: headers,
        args.floor_calls,
    )
    single = await one_at_a_time(
        "gateway profile, 1 client",
        gateway_url,
        f"/api/v1/contacts/{contact_id}/profile",
        lambda: headers,
        args.floor_calls // 5,
    )
    processes = ServiceProcesses.of_stack(profile, SERVICES)
    cpu_before = processes.cpu_s()
    profiled = await load(gateway_url, headers, contact_id, args.clients, args.seconds)
    cpu_after = processes.cpu_s()
    print(direct.line())
    print(forwarded.line())
    print(single.line())
    print(profiled.line())
    print(profiled.counts_line())
    cpu_line = cpu_per_request_line(cpu_before, cpu_after, profiled.offered)
    print(f"{'  per profile sent':<44} {cpu_line}")
    print(
        f"{'ratio p95 profile / floor':<44} {profiled.percentile(95) / direct.percentile(95):.1f}x"
        f"   (goal: profile p95 < 50 ms: {'met' if profiled.percentile(95) < 50 else 'not met'})"
    )


if __name__ == "__main__":
    asyncio.run(main())
