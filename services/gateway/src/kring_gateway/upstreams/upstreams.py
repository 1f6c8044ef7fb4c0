"""The services behind the gateway: one pooled HTTP client per replica, and one way to call
them with the caller's signed identity, the request id and the trace context; a replica that
refuses connections is skipped for a while and the request goes to another (replicas.py)."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import httpx
from opentelemetry import propagate

from kring_gateway.problems import Refusal, ServiceUnavailable
from kring_gateway.roles import Caller
from kring_gateway.settings import Settings
from kring_gateway.upstreams.replicas import IDEMPOTENT_METHODS, Replica, ReplicaPool
from kring_platform.identity import IDENTITY_HEADER, CallerIdentity, sign_identity

log = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
# Who the gateway says calls when nobody is logged in (public routes), or when it asks a
# service for itself (its API description).
ANONYMOUS = "anonymous"
GATEWAY = "gateway"


class UpstreamTimeout(Refusal):
    status = 504
    title = "Gateway timeout"

    def __init__(self, service: str) -> None:
        super().__init__(f"The {service} service did not answer in time.", service=service)


def identity_of(caller: Caller | None, request_id: str) -> CallerIdentity:
    if caller is None:
        return CallerIdentity(user_id=ANONYMOUS, roles=(ANONYMOUS,), request_id=request_id)
    return CallerIdentity(
        user_id=caller.user_id,
        roles=tuple(sorted(caller.roles)),
        request_id=request_id,
        contact_id=str(caller.contact_id) if caller.contact_id else None,
    )


class Upstreams:
    def __init__(
        self,
        settings: Settings,
        identity_key: bytes | None,
        transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        self.identity_key = identity_key
        timeout = httpx.Timeout(
            settings.upstream_timeout_s, connect=settings.upstream_connect_timeout_s
        )
        # Under uvicorn's 5 s keep-alive: no request goes out on a connection being closed.
        limits = httpx.Limits(
            max_connections=settings.upstream_max_connections,
            max_keepalive_connections=settings.upstream_max_connections,
            keepalive_expiry=4.0,
        )
        transports = transports or {}
        self.pools = {
            name: ReplicaPool(
                name,
                [
                    # A transport of the caller's (tests: a service app in-process) or the
                    # network; one connection pool per replica.
                    Replica(
                        url,
                        httpx.AsyncClient(
                            base_url=url,
                            timeout=timeout,
                            limits=limits,
                            transport=transports.get(name),
                        ),
                    )
                    for url in urls
                ],
                settings.upstream_down_s,
            )
            for name, urls in settings.service_replica_urls().items()
        }

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(self.pools)

    def __contains__(self, service: str) -> bool:
        return service in self.pools

    def headers_for(self, identity: CallerIdentity) -> dict[str, str]:
        headers = {REQUEST_ID_HEADER: identity.request_id}
        if self.identity_key is not None:
            headers[IDENTITY_HEADER] = sign_identity(self.identity_key, identity)
        propagate.inject(headers)  # traceparent (and tracestate) of the gateway's span
        return headers

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        identity: CallerIdentity,
        *,
        query: str = "",
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        timeout: float | None = None,
    ) -> httpx.Response:
        """The service's answer, whatever its status; 503 if it is down, 504 if too slow."""
        pool = self.pools[service]
        request = _Request(
            method,
            f"{path}?{query}" if query else path,
            {**(headers or {}), **self.headers_for(identity)},
            body,
            timeout,
        )
        first = pool.pick()
        assert first is not None  # a pool has at least one replica
        outcome = await _send(pool, first, request)
        if isinstance(outcome, httpx.Response):
            return outcome
        # Once, on another replica (if the service has one): a second failure is an outage.
        if (second := pool.pick(excluded=first)) is not None:
            log.info("%s: %s; %s %s retried on %s", service, outcome, method, path, second.url)
            outcome = await _send(pool, second, request)
            if isinstance(outcome, httpx.Response):
                return outcome
        log.warning("%s unavailable: %s", service, outcome)
        raise ServiceUnavailable(service)

    async def close(self) -> None:
        for pool in self.pools.values():
            await pool.aclose()


@dataclass(frozen=True)
class _Request:
    method: str
    target: str  # path and query
    headers: dict[str, str]
    body: bytes
    timeout: float | None  # None: the client's


async def _send(pool: ReplicaPool, replica: Replica, request: _Request) -> httpx.Response | str:
    """The replica's answer, or why another replica may be asked instead; raises the refusal
    when nobody should be asked again."""
    service, client = pool.service, replica.client
    try:
        with pool.attempt(replica):
            answer = await client.send(
                client.build_request(
                    request.method,
                    request.target,
                    headers=request.headers,
                    content=request.body or None,
                    timeout=client.timeout if request.timeout is None else request.timeout,
                )
            )
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        # Nothing reached the replica: any request may go to another one.
        pool.mark_down(replica, type(exc).__name__)
        return f"{type(exc).__name__} on {replica.url}"
    except httpx.PoolTimeout:
        # All our connections to it are busy: the service is saturated, not dead.
        log.warning("%s unavailable: PoolTimeout on %s", service, replica.url)
        raise ServiceUnavailable(service) from None
    except httpx.TimeoutException:
        log.warning("%s timed out on %s %s", service, request.method, request.target)
        raise UpstreamTimeout(service) from None
    except httpx.TransportError as exc:
        # E.g. the connection dropped mid-answer (the replica crashed): the request may have
        # had its effect, so only an idempotent one is repeated elsewhere.
        failure = f"{type(exc).__name__} on {replica.url}"
        if request.method not in IDEMPOTENT_METHODS:
            log.warning("%s failed: %s", service, failure)
            raise ServiceUnavailable(service) from None
        return failure
    pool.mark_up(replica)
    return answer
