"""Benchmark: how long after the contacts API answers a group change is the subscription
visible in newsletters? Prints, at each offered rate: achieved rate, shed (503 answers), the
PUT itself p50/p99, end to end p50/p95/p99, the floor (a raw aiokafka produce -> consume round
trip on the same broker, same run) p50/p99, CPU per request of the service processes (their
utime+stime from /proc over the run, divided by the PUTs answered) and the load average.

Run against the local stack:  ./kring up [--replicas contacts=2,newsletters=2] &&
uv run python bench/group_sync_latency.py (options: --rates 50 100 200 500 --seconds 15; see
--help). It talks to the stack as started: it finds every running instance of each service
(replicas included) from the stack's pid files, prints them, and spreads its PUTs over the
contacts instances in turn. The PUTs go out through bench/loadgen (Go, built on first use:
needs `go` on PATH or in /usr/local/go), open loop at the offered rate: a Python client on
the same cores could not offer more than ~60/s. A subscription counts as visible when its
`subscription.started` event arrives on kring.newsletters.v1: newsletters publishes it from
its outbox after the subscription committed, so this is an upper bound. Four stages split
it, from the records' timestamps and the event's `time`: contacts' relay, newsletters'
consumer up to its handler, the rest of that transaction and newsletters' relay, the bench.
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from loadgen import Outcome, Request, offer
from proc_cpu import process_cpu_s
from prometheus_client.parser import text_string_to_metric_families

from kring_contracts import CONTACTS_TOPIC, NEWSLETTERS_TOPIC
from kring_platform.identity import IDENTITY_HEADER, sign_identity
from kring_platform.kafka_clients import topic_partitions
from kring_platform.load_shedding import LoopLag
from kring_stack.callers import STACK_ADMIN, identity_key, signed_as
from kring_stack.profiles import get_profile
from kring_stack.services import Instance, running_instances

FLOOR_TOPIC = "bench.kafka-floor"
PUT_ROUTE = "/groups/{group_id}/members/{contact_id}"
Key = tuple[str, str]  # a change: (the list that follows the group, the contact)


@dataclass
class ServerSide:
    """What the contacts processes' own /metrics count: the PUTs they answered (with their
    time in the app, as histogram buckets), the requests they shed. Beside the client's
    figures, which also hold the bench process's own queue when it cannot keep up."""

    answered: float = 0.0
    shed: float = 0.0
    buckets: dict[float, float] = field(default_factory=dict)  # upper bound -> count

    def __sub__(self, before: "ServerSide") -> "ServerSide":
        return ServerSide(
            self.answered - before.answered,
            self.shed - before.shed,
            {le: n - before.buckets.get(le, 0.0) for le, n in self.buckets.items()},
        )

    def percentile_ms(self, q: float) -> str:
        """The bucket bound the q-th percentile falls under (or '> the last bound')."""
        wanted = q / 100 * self.answered
        for le, count in sorted(self.buckets.items()):
            if count >= wanted:
                return f"≤ {le * 1000:,.0f}" if le != float("inf") else "> 10,000"
        return "-"


async def server_side(urls: list[str]) -> ServerSide:
    totals = ServerSide()
    async with httpx.AsyncClient(timeout=30) as client:
        for url in urls:
            text = (await client.get(f"{url}/metrics")).text
            for family in text_string_to_metric_families(text):
                for sample in family.samples:
                    _add(totals, sample.name, sample.labels, sample.value)
    return totals


def _add(totals: ServerSide, name: str, labels: dict[str, str], value: float) -> None:
    if name == "kring_http_requests_shed_total":
        totals.shed += value
    elif labels.get("route") == PUT_ROUTE and labels.get("method") == "PUT":
        if name == "kring_http_request_duration_seconds_count":
            totals.answered += value
        elif name == "kring_http_request_duration_seconds_bucket":
            le = float(labels["le"])
            totals.buckets[le] = totals.buckets.get(le, 0.0) + value


@dataclass
class Latencies:
    label: str
    target_rate: float
    sent: int
    seen: int
    wall_s: float
    samples_ms: list[float]

    def percentile(self, q: float) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]

    def line(self) -> str:
        if not self.samples_ms:
            return f"{self.label:<34} no samples"
        return (
            f"{self.label:<34} sent {self.sent:>6} seen {self.seen:>6} "
            f"achieved {self.sent / self.wall_s:7.1f}/s  "
            f"p50 {self.percentile(50):7.1f}  p95 {self.percentile(95):7.1f}  "
            f"p99 {self.percentile(99):7.1f}  max {max(self.samples_ms):7.1f} ms"
        )


async def _end_consumer(bootstrap: str, *topics: str) -> AIOKafkaConsumer:
    """A consumer positioned at the current end of every partition of `topics`."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    partitions = [tp for topic in topics for tp in await topic_partitions(topic, bootstrap)]
    consumer.assign(partitions)
    await consumer.seek_to_end(*partitions)
    for tp in partitions:
        await consumer.position(tp)
    return consumer


async def _pace(
    rate: float, seconds: float, send: Callable[[int], Coroutine[Any, Any, None]]
) -> tuple[int, float]:
    """Calls `send(i)` open-loop at `rate` per second for `seconds`; returns (count, wall)."""
    total = int(rate * seconds)
    start = time.perf_counter()
    tasks: list[asyncio.Task[None]] = []
    for i in range(total):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(i)))
    await asyncio.gather(*tasks)
    return total, time.perf_counter() - start


async def measure_floor(bootstrap: str, rate: float, seconds: float) -> Latencies:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(FLOOR_TOPIC, 6, 1)])
    except TopicAlreadyExistsError:
        pass
    finally:
        await admin.close()
    consumer = await _end_consumer(bootstrap, FLOOR_TOPIC)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    run = uuid.uuid4().hex
    sent_at: dict[int, float] = {}
    samples: list[float] = []
    expected = int(rate * seconds)

    async def send(i: int) -> None:
        sent_at[i] = time.perf_counter()
        await producer.send_and_wait(FLOOR_TOPIC, f"{run}:{i}".encode(), key=str(i).encode())

    async def receive() -> None:
        while len(samples) < expected:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                now = time.perf_counter()
                for record in records:
                    tag, _, number = record.value.decode().partition(":")
                    if tag == run:
                        samples.append((now - sent_at[int(number)]) * 1000)

    receiver = asyncio.create_task(receive())
    sent, wall = await _pace(rate, seconds, send)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(receiver, 30)
    await producer.stop()
    await consumer.stop()
    return Latencies(f"floor: raw kafka @ {rate:.0f}/s", rate, sent, len(samples), wall, samples)


@dataclass
class Run:
    """One offered rate: what was sent, answered, refused, and what it cost."""

    rate: float
    sent: int = 0
    answered: int = 0
    shed: int = 0  # 503 answers
    failed: int = 0  # any other non-2xx or transport error
    wall_s: float = 0.0
    cpu_s: dict[str, float] = field(default_factory=dict)  # per service
    server: ServerSide = field(default_factory=ServerSide)
    client_lag_s: float = 0.0  # the bench process's event loop, at its latest
    client_cpu_s: float = 0.0  # the load generator's
    load: float = 0.0
    settle_s: float = 0.0  # waiting for the setup's events to be worked off

    def cpu_line(self) -> str:
        if not self.answered:
            return "CPU per request: no answers"
        parts = ", ".join(
            f"{name} {seconds / self.answered * 1000:.1f}" for name, seconds in self.cpu_s.items()
        )
        total = sum(self.cpu_s.values()) / self.answered * 1000
        client = self.client_cpu_s / self.sent * 1000 if self.sent else 0.0
        return (
            f"CPU per answered PUT: {total:.1f} ms in all service processes ({parts}); "
            f"the load generator {client:.3f} ms per request sent"
        )


async def measure_group_sync(
    contacts_urls: list[str],
    newsletters_url: str,
    bootstrap: str,
    rate: float,
    seconds: float,
    instances: list[Instance],
    timeout: float,
    connections: int,
) -> tuple[list[Latencies], Run]:
    """End to end, the hop onto kring.contacts.v1 within it, and the API call itself."""
    pairs_needed = int(rate * seconds)
    people_per_group = 500
    group_count = -(-pairs_needed // people_per_group)
    bench_run = uuid.uuid4().hex[:8]
    # Straight to the services, signed as the gateway would sign an admin's calls; the
    # setup through httpx, the measured PUTs through the load generator (bench/loadgen).
    auth = signed_as(get_profile())
    run = Run(rate)
    async with contextlib.AsyncExitStack() as stack:
        contacts = await stack.enter_async_context(
            httpx.AsyncClient(base_url=contacts_urls[0], timeout=30, auth=auth)
        )
        newsletters = await stack.enter_async_context(
            httpx.AsyncClient(base_url=newsletters_url, timeout=30, auth=auth)
        )
        people = await _create_people(contacts, min(people_per_group, pairs_needed), bench_run)
        groups = []
        for g in range(group_count):
            name = f"bench {bench_run} {g}"
            groups.append((await contacts.post("/groups", json={"name": name})).json()["id"])
            (await newsletters.post("/lists", json={"name": name})).raise_for_status()
        list_of_group = await _lists_by_group(newsletters, groups)
        lists = set(list_of_group.values())
        run.settle_s = await _settle([i.url for i in instances])

        consumer = await _end_consumer(bootstrap, NEWSLETTERS_TOPIC, CONTACTS_TOPIC)
        answered_at: dict[Key, float] = {}
        request_ms: list[float] = []
        # Where each change was when: its group_member.added on kring.contacts.v1 (the
        # record's timestamp: when contacts' relay sent it), the subscription.started event's
        # `time` (when newsletters' handler recorded it, inside its transaction) and its
        # record's timestamp (when newsletters' relay sent it), and when the bench saw it.
        published_at: dict[Key, float] = {}
        recorded_at: dict[Key, float] = {}
        republished_at: dict[Key, float] = {}
        seen_at: dict[Key, float] = {}

        def answered(outcome: Outcome) -> None:
            if outcome.status == 503:
                run.shed += 1
            elif not 200 <= outcome.status < 300:
                run.failed += 1
            else:
                run.answered += 1
                group, person = pairs[outcome.index]
                answered_at[(list_of_group[group], person)] = outcome.end_s
                request_ms.append(outcome.latency_ms)

        pairs = [
            (groups[i // people_per_group], people[i % people_per_group])
            for i in range(pairs_needed)
        ]
        puts = _signed_puts(contacts_urls, pairs, ttl_s=int(seconds + timeout) + 60)

        async def receive() -> None:
            while len(seen_at) < run.answered or len(seen_at) < pairs_needed - run.shed:
                for records in (await consumer.getmany(timeout_ms=200)).values():
                    now = time.time()  # the load generator's clock: wall time
                    for record in records:
                        event = json.loads(record.value)
                        data = event["data"]
                        sent_s = record.timestamp / 1000
                        if event["type"] == "kring.newsletters.subscription.started":
                            if data["list_id"] in lists:
                                key = (data["list_id"], data["contact_id"])
                                seen_at[key], republished_at[key] = now, sent_s
                                recorded_at[key] = datetime.fromisoformat(event["time"]).timestamp()
                        elif (
                            event["type"] == "kring.contacts.group_member.added"
                            and data["group_id"] in list_of_group
                        ):
                            key = (list_of_group[data["group_id"]], data["contact_id"])
                            published_at[key] = sent_s

        cpu_before = {i.pid: process_cpu_s(i.pid) for i in instances}
        server_before = await server_side(contacts_urls)
        receiver = asyncio.create_task(receive())
        client_lag = asyncio.create_task(_watch_lag(run))
        offered = await offer(puts, rate, timeout, answered, connections=connections)
        run.sent, run.wall_s, run.client_cpu_s = len(puts), offered.wall_s, offered.cpu_s
        client_lag.cancel()
        run.server = await server_side(contacts_urls) - server_before
        run.load = os.getloadavg()[0]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(receiver, 60)
        for instance in instances:  # the consumers' and relays' work included
            spent = process_cpu_s(instance.pid) - cpu_before[instance.pid]
            run.cpu_s[instance.service] = run.cpu_s.get(instance.service, 0.0) + spent
        await consumer.stop()
    sent, wall = run.sent, run.wall_s

    def between(label: str, start: dict[Key, float], end: dict[Key, float]) -> Latencies:
        samples = [(end[k] - start[k]) * 1000 for k in end if k in start]
        return Latencies(label, rate, sent, len(samples), wall, samples)

    return [
        between(f"kring: group change @ {rate:.0f}/s", answered_at, seen_at),
        between("  1 answered -> contacts relay sent", answered_at, published_at),
        between("  2 -> newsletters handler recorded", published_at, recorded_at),
        between("  3 -> newsletters relay sent", recorded_at, republished_at),
        between("  4 -> the bench saw it", republished_at, seen_at),
        Latencies("  (the PUT request itself)", rate, sent, len(request_ms), wall, request_ms),
    ], run


def _signed_puts(
    contacts_urls: list[str], pairs: list[tuple[str, str]], ttl_s: int
) -> list[Request]:
    """One PUT per (group, contact), spread over the contacts instances in turn, each with an
    identity signed for it as the gateway signs a call (a request id of its own)."""
    key = identity_key(get_profile())
    return [
        Request(
            "PUT",
            contacts_urls[i % len(contacts_urls)] + PUT_ROUTE.format(group_id=g, contact_id=c),
            {
                IDENTITY_HEADER: sign_identity(
                    key, replace(STACK_ADMIN, request_id=f"bench-{i}"), ttl_s=ttl_s
                )
            },
        )
        for i, (g, c) in enumerate(pairs)
    ]


async def _backlog(client: httpx.AsyncClient, urls: list[str]) -> float:
    """Events the stack still has to work off: every consumer's lag and every outbox's
    unpublished rows, from each process's /metrics."""
    total = 0.0
    for url in urls:
        for family in text_string_to_metric_families((await client.get(f"{url}/metrics")).text):
            if family.name in ("kring_consumer_lag", "kring_outbox_backlog"):
                total += sum(sample.value for sample in family.samples)
    return total


async def _settle(urls: list[str], limit_s: float = 120.0) -> float:
    """Waits until the setup's own events (the new contacts, groups and lists, applied by
    every consumer) are worked off, so the run measures the group changes alone; returns the
    seconds it took. The lag gauges refresh once a second: two readings apart must say 0."""
    started = time.monotonic()
    quiet = 0
    async with httpx.AsyncClient(timeout=10) as client:
        while quiet < 2 and time.monotonic() - started < limit_s:
            quiet = quiet + 1 if await _backlog(client, urls) == 0 else 0
            await asyncio.sleep(1.1)
    return time.monotonic() - started


async def _watch_lag(run: "Run") -> None:
    """The bench process's own queue: how late its loop runs a 20 ms timer, at the most.
    When it is high, the client's PUT times hold the client's own wait."""
    lag = LoopLag()
    lag.watch()
    while True:
        await asyncio.sleep(lag.interval_s)
        run.client_lag_s = max(run.client_lag_s, lag.lag_s)


async def _create_people(contacts: httpx.AsyncClient, count: int, run: str) -> list[str]:
    async def one(i: int) -> str:
        body = {
            "first_name": "Bench",
            "last_name": f"{run}-{i}",
            "emails": [f"bench.{run}.{i}@example.org"],
        }
        response = await contacts.post("/contacts", json=body)
        # Right after a loaded rate, contacts may still shed (its loop catching up): a 503
        # with Retry-After changed nothing, so send it again when told.
        while response.status_code == 503 and "retry-after" in response.headers:
            await asyncio.sleep(float(response.headers["retry-after"]))
            response = await contacts.post("/contacts", json=body)
        response.raise_for_status()
        return str(response.json()["id"])

    people: list[str] = []
    for start in range(0, count, 50):
        people += await asyncio.gather(*(one(i) for i in range(start, min(count, start + 50))))
    return people


async def _lists_by_group(newsletters: httpx.AsyncClient, groups: list[str]) -> dict[str, str]:
    """Each bench group's list, once newsletters has linked it (the lists follow by name)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = await newsletters.get("/lists", params={"limit": 500})
        by_group = {
            item["group_id"]: item["id"]
            for item in response.json()["items"]
            if item.get("group_id") in groups
        }
        if len(by_group) == len(groups):
            return by_group
        await asyncio.sleep(0.2)
    raise RuntimeError("newsletters did not link the bench lists to their groups")


def table_row(run: Run, kring: Latencies, put: Latencies, floor: Latencies) -> str:
    """One markdown row of bench/README.md's table for this rate."""

    def p(figures: Latencies, q: float) -> str:
        return f"{figures.percentile(q):,.0f}" if figures.samples_ms else "-"

    cpu = sum(run.cpu_s.values()) / run.answered * 1000 if run.answered else 0.0
    server = run.server
    return (
        f"| {run.rate:.0f}/s | {run.answered / run.wall_s:.1f}/s | {run.shed} | "
        f"{p(put, 50)} / {p(put, 99)} ms | {server.answered / run.wall_s:.1f}/s | "
        f"{server.shed:.0f} | {server.percentile_ms(50)} / {server.percentile_ms(99)} ms | "
        f"{p(kring, 50)} / {p(kring, 95)} / {p(kring, 99)} ms | "
        f"{floor.percentile(50):.1f} / {floor.percentile(99):.1f} ms | {cpu:.1f} ms | "
        f"{run.load:.1f} |"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rates", type=float, nargs="+", default=[50.0, 100.0, 200.0, 500.0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="a PUT waiting longer counts as failed"
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=100,
        help="at most this many connections to each contacts instance (the gateway's own pool "
        "to a replica, UPSTREAM_MAX_CONNECTIONS, is 20: 100 lets the load generator offer "
        "more than the gateway would)",
    )
    parser.add_argument(
        "--bootstrap-servers", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    )
    args = parser.parse_args()
    profile = get_profile()
    instances = running_instances(profile)
    contacts_urls = [i.url for i in instances if i.service == "contacts"]
    newsletters_urls = [i.url for i in instances if i.service == "newsletters"]
    if not contacts_urls or not newsletters_urls:
        raise SystemExit(f"contacts and newsletters must run in the {profile.name} stack")
    print(
        f"machine: {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    counts = Counter(i.service for i in instances)
    print("processes: " + ", ".join(f"{name} x{count}" for name, count in counts.items()))
    rows = []
    for rate in args.rates:
        floor = await measure_floor(args.bootstrap_servers, rate, args.seconds)
        (kring, *stages, put), run = await measure_group_sync(
            contacts_urls,
            newsletters_urls[0],
            args.bootstrap_servers,
            rate,
            args.seconds,
            instances,
            args.timeout,
            args.connections,
        )
        print(floor.line())
        for figures in (kring, *stages, put):
            print(figures.line())
        print(
            f"{'  offered / achieved / shed':<34} {rate:.0f}/s / "
            f"{run.answered / run.wall_s:.1f}/s / {run.shed} (other failures {run.failed})"
        )
        print(
            f"  {run.cpu_line()}; load average {run.load:.1f} (the setup's events worked off "
            f"in {run.settle_s:.1f} s before)"
        )
        server = run.server
        print(
            f"{'  contacts itself':<34} answered {server.answered / run.wall_s:.1f}/s, shed "
            f"{server.shed:.0f}, PUT in the app p50 {server.percentile_ms(50)} / p99 "
            f"{server.percentile_ms(99)} ms; the bench's own loop up to "
            f"{run.client_lag_s * 1000:,.0f} ms late"
        )
        if floor.samples_ms and kring.samples_ms:
            ratio = kring.percentile(99) / floor.percentile(99)
            print(
                f"{'ratio p99 kring / floor':<34} {ratio:.1f}x   (p50 ratio "
                f"{statistics.median(kring.samples_ms) / statistics.median(floor.samples_ms):.1f}x)"
            )
        rows.append(table_row(run, kring, put, floor))
    print(
        "\n| offered | achieved | shed (503) | PUT p50 / p99 | contacts: answered | shed "
        "| PUT in the app p50 / p99 | end to end p50 / p95 / p99 | floor p50 / p99 "
        "| CPU per PUT | load avg |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    asyncio.run(main())
