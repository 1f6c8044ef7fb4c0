"""Talking to the deployment through its gateway, logged in as an admin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from kring_ops.config import Deployment
from kring_ops.errors import NOT_FOUND, UNREACHABLE, USAGE, OpsError


def problem_line(response: httpx.Response) -> str:
    """A problem+json answer (or any error answer) as one line."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        text = body.get("detail") or body.get("title") or ""
        fields = [
            f"{e.get('field') or e.get('loc')}: {e.get('message') or e.get('msg')}"
            for e in body.get("errors", [])
            if isinstance(e, dict)
        ]
        text = "; ".join([str(text), *fields]) if fields else str(text)
    else:
        text = response.text.strip().splitlines()[0] if response.text.strip() else ""
    request = response.request
    return f"{request.method} {request.url.path} answered {response.status_code}: {text}"


def checked(response: httpx.Response) -> Any:
    """The JSON of a 2xx answer; otherwise an OpsError naming the problem."""
    if response.is_success:
        return response.json() if response.content else None
    code = {404: NOT_FOUND, 502: UNREACHABLE, 503: UNREACHABLE, 504: UNREACHABLE}
    raise OpsError(problem_line(response), code.get(response.status_code, 1))


async def _access_token(client: httpx.AsyncClient, deployment: Deployment) -> str:
    if deployment.admin_token:
        return deployment.admin_token
    if not (deployment.admin_email and deployment.admin_password):
        raise OpsError(
            "no admin login: set KRING_ADMIN_EMAIL and KRING_ADMIN_PASSWORD (or KRING_ADMIN_TOKEN)",
            USAGE,
        )
    tokens = checked(
        await client.post(
            "/api/v1/auth/login",
            json={"email": deployment.admin_email, "password": deployment.admin_password},
        )
    )
    return str(tokens["access_token"])


@asynccontextmanager
async def admin_client(
    deployment: Deployment, timeout: float = 30.0
) -> AsyncIterator[httpx.AsyncClient]:
    """A client on the gateway carrying an admin's access token."""
    async with httpx.AsyncClient(base_url=deployment.need_gateway(), timeout=timeout) as client:
        token = await _access_token(client, deployment)
        client.headers["Authorization"] = f"Bearer {token}"
        yield client
