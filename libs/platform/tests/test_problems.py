"""Errors leave as problem+json; a deadlock says "send it again" (pure, no I/O)."""

import httpx
import psycopg.errors
from fastapi import FastAPI
from sqlalchemy.exc import OperationalError

from kring_platform.problems import PROBLEM_JSON, NotFound, install_problem_handlers


def app_raising(error: Exception) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    async def boom() -> None:
        raise error

    return app


async def call(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get("/boom")


async def test_a_domain_error_is_a_problem_with_its_status() -> None:
    response = await call(app_raising(NotFound("There is no contact x.", contact_id="x")))
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["contact_id"] == "x"


async def test_a_deadlock_is_a_503_to_retry_not_a_500() -> None:
    deadlock = OperationalError("INSERT ...", {}, psycopg.errors.DeadlockDetected("deadlock"))
    response = await call(app_raising(deadlock))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"] == PROBLEM_JSON


async def test_an_unexpected_error_is_a_500_problem() -> None:
    response = await call(app_raising(RuntimeError("bug")))
    assert response.status_code == 500
    assert response.json()["status"] == 500
