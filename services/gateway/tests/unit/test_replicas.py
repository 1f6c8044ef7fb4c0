"""Several replicas behind one service name: requests are spread over them, a replica that
refuses connections is skipped for a while (the request going to another one), and a request
that may have had its effect is not repeated. Pure unit tests: the replicas are a
MockTransport that answers per port."""

import asyncio
from collections import Counter
from collections.abc import Callable

import httpx
import pytest
from pydantic import SecretStr

from kring_gateway.problems import ServiceUnavailable
from kring_gateway.settings import Settings
from kring_gateway.upstreams.replicas import Replica, ReplicaPool
from kring_gateway.upstreams.upstreams import Upstreams
from kring_platform.identity import CallerIdentity

REPLICAS = "http://127.0.0.1:8001,http://127.0.0.1:8101"
IDENTITY = CallerIdentity(user_id="u", roles=("admin",), request_id="r")
Handler = Callable[[httpx.Request], httpx.Response]


def upstreams_of(handler: Handler, urls: str = REPLICAS) -> Upstreams:
    settings = Settings(
        database_url="postgresql+psycopg://unused/unused",
        token_signing_key=SecretStr("k" * 32),
        contacts_url=urls,
    )
    return Upstreams(settings, b"identity key", {"contacts": httpx.MockTransport(handler)})


def refusing(port: int, seen: Counter[int], error: type[Exception] = httpx.ConnectError) -> Handler:
    """Replica on `port` fails with `error`; the others answer 200. Counts attempts by port."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen[request.url.port or 0] += 1
        if request.url.port == port:
            raise error("replica gone", request=request)
        return httpx.Response(200, json={"port": request.url.port})

    return handle


def test_the_setting_names_every_replica() -> None:
    assert upstreams_of(refusing(0, Counter())).pools["contacts"].replicas[1].url == (
        "http://127.0.0.1:8101"
    )


async def test_requests_are_spread_over_the_replicas() -> None:
    seen: Counter[int] = Counter()
    upstreams = upstreams_of(refusing(0, seen))
    for _ in range(10):
        await upstreams.call("contacts", "GET", "/contacts", IDENTITY)
    assert seen == {8001: 5, 8101: 5}


async def test_a_refused_connection_goes_to_the_other_replica_which_then_gets_everything() -> None:
    seen: Counter[int] = Counter()
    upstreams = upstreams_of(refusing(8001, seen))
    for _ in range(6):
        # POST too: nothing reached the refusing replica, so repeating it is safe.
        answer = await upstreams.call("contacts", "POST", "/contacts", IDENTITY, body=b"{}")
        assert answer.json() == {"port": 8101}
    assert seen == {8001: 1, 8101: 6}  # marked down after its one refusal


@pytest.mark.parametrize(
    ("method", "answered"), [("PUT", True), ("GET", True), ("POST", False), ("PATCH", False)]
)
async def test_a_dropped_connection_is_repeated_only_for_idempotent_methods(
    method: str, answered: bool
) -> None:
    seen: Counter[int] = Counter()
    upstreams = upstreams_of(refusing(8001, seen, httpx.RemoteProtocolError))
    outcomes = []
    for _ in range(2):  # one of the two goes to the dropping replica first
        try:
            outcomes.append((await upstreams.call("contacts", method, "/x", IDENTITY)).status_code)
        except ServiceUnavailable:
            outcomes.append(503)
    assert sorted(outcomes) == ([200, 200] if answered else [200, 503])
    assert seen[8001] >= 1  # a dropped connection alone does not mark a replica down


async def test_every_replica_refusing_is_503() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ServiceUnavailable):
        await upstreams_of(handle).call("contacts", "GET", "/contacts", IDENTITY)


async def test_a_single_replica_refusing_is_503_without_a_retry() -> None:
    seen: Counter[int] = Counter()
    with pytest.raises(ServiceUnavailable):
        await upstreams_of(refusing(8001, seen), "http://127.0.0.1:8001").call(
            "contacts", "GET", "/contacts", IDENTITY
        )
    assert seen == {8001: 1}


def pool_of(count: int, clock: Callable[[], float]) -> ReplicaPool:
    replicas = [Replica(f"http://r{i}", httpx.AsyncClient()) for i in range(count)]
    return ReplicaPool("contacts", replicas, down_s=5.0, clock=clock)


def test_the_least_busy_replica_is_picked() -> None:
    pool = pool_of(3, lambda: 0.0)
    pool.replicas[0].in_flight = 2
    pool.replicas[1].in_flight = 1
    pool.replicas[2].in_flight = 4
    assert [pool.pick() for _ in range(3)] == [pool.replicas[1]] * 3


def test_a_marked_down_replica_comes_back_after_its_time() -> None:
    now = [100.0]
    pool = pool_of(2, lambda: now[0])
    pool.mark_down(pool.replicas[0], "ConnectError")
    assert {id(pool.pick()) for _ in range(4)} == {id(pool.replicas[1])}
    # All down: the one back soonest is tried anyway (that is how a restart is noticed).
    now[0] = 101.0
    pool.mark_down(pool.replicas[1], "ConnectError")
    assert pool.pick() is pool.replicas[0]
    now[0] = 105.5
    assert {id(pool.pick()) for _ in range(4)} == {id(pool.replicas[0])}
    now[0] = 106.5
    assert {id(pool.pick()) for _ in range(4)} == {id(r) for r in pool.replicas}


async def test_in_flight_counts_while_a_request_waits() -> None:
    release = asyncio.Event()

    async def handle(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return httpx.Response(200)

    settings = Settings(
        database_url="postgresql+psycopg://unused/unused",
        token_signing_key=SecretStr("k" * 32),
        contacts_url=REPLICAS,
    )
    upstreams = Upstreams(settings, None, {"contacts": httpx.MockTransport(handle)})
    pending = [
        asyncio.create_task(upstreams.call("contacts", "GET", "/", IDENTITY)) for _ in range(4)
    ]
    await asyncio.sleep(0)  # witness below: the counters, polled until all four are out
    replicas = upstreams.pools["contacts"].replicas
    for _ in range(100):
        if sum(r.in_flight for r in replicas) == 4:
            break
        await asyncio.sleep(0.01)
    assert [r.in_flight for r in replicas] == [2, 2]
    release.set()
    await asyncio.gather(*pending)
    assert [r.in_flight for r in replicas] == [0, 0]
