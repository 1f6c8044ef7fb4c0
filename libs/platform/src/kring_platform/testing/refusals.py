"""A request the service must refuse: a problem+json response, and nothing changed."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx


async def assert_refused_unchanged(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    status: int,
    snapshot: Callable[[], Awaitable[object]],
    **request: Any,
) -> dict[str, Any]:
    """Sends the request (`request`: httpx's `json=`, `params=`, …); asserts it is refused
    with `status` as a titled problem and that `snapshot()` is the same after as before.
    Returns the problem."""
    before = await snapshot()
    response = await client.request(method, url, **request)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json", response.headers
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status, problem
    assert problem["title"], problem
    after = await snapshot()
    assert after == before, f"the refused request changed {before!r} into {after!r}"
    return problem
