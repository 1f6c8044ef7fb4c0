"""Reading a service's answer in a test: the status it must have, then its JSON body."""

from typing import Any

import httpx


def json_of(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    """The body of a response that must have `status` (the body is the failure's message)."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def created(response: httpx.Response) -> dict[str, Any]:
    """The body of a response that must be 201 Created."""
    return json_of(response, 201)
