"""The services behind the gateway: one pooled HTTP client each, and one way to call them
with the caller's signed identity, the request id and the trace context."""

import logging
from collections.abc import Mapping

import httpx
from opentelemetry import propagate

from kring_gateway.problems import Refusal, ServiceUnavailable
from kring_gateway.roles import Caller
from kring_gateway.settings import Settings
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
        self.urls = settings.service_urls()
        self.clients = {
            # A transport of the caller's (tests: a service app in-process) or the network.
            name: httpx.AsyncClient(
                base_url=url,
                timeout=timeout,
                limits=limits,
                transport=(transports or {}).get(name),
            )
            for name, url in self.urls.items()
        }

    def __contains__(self, service: str) -> bool:
        return service in self.clients

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
        client = self.clients[service]
        request = client.build_request(
            method,
            f"{path}?{query}" if query else path,
            headers={**(headers or {}), **self.headers_for(identity)},
            content=body or None,
            timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
        )
        try:
            return await client.send(request)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            log.warning("%s unavailable: %s", service, type(exc).__name__)
            raise ServiceUnavailable(service) from None
        except httpx.TimeoutException:
            log.warning("%s timed out on %s %s", service, method, path)
            raise UpstreamTimeout(service) from None
        except httpx.TransportError as exc:
            # E.g. the connection dropped mid-answer (the service crashed).
            log.warning("%s failed: %s", service, type(exc).__name__)
            raise ServiceUnavailable(service) from None

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()
