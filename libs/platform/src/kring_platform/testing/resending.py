"""HTTP transports that do what a client of Kring should do with one kind of answer: a 503
"Try again" with Retry-After means the change met a concurrent one (a deadlock or
serialization failure), was rolled back and changed nothing, so the same request is sent
again. Every other answer, other 503s included (a service or database that is down), reaches
the test as it came. Each wraps another transport: the network's, or an app's ASGI one."""

import asyncio
import time

import httpx

from kring_platform.problems import TRY_AGAIN_TITLE

ATTEMPTS = 6


def met_a_concurrent_change(response: httpx.Response) -> bool:
    """A read response answering "Try again": the request changed nothing, send it again."""
    if response.status_code != 503 or "retry-after" not in response.headers:
        return False
    try:
        return bool(response.json().get("title") == TRY_AGAIN_TITLE)
    except ValueError:
        return False


def _pause(attempt: int) -> float:
    return 0.1 * (attempt + 1)


class ResendingAsyncTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        for attempt in range(ATTEMPTS - 1):
            response = await self.inner.handle_async_request(request)
            if response.status_code != 503:
                return response
            await response.aread()
            if not met_a_concurrent_change(response):
                return response
            await response.aclose()
            await asyncio.sleep(_pause(attempt))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class ResendingTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for attempt in range(ATTEMPTS - 1):
            response = self.inner.handle_request(request)
            if response.status_code != 503:
                return response
            response.read()
            if not met_a_concurrent_change(response):
                return response
            response.close()
            time.sleep(_pause(attempt))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()
