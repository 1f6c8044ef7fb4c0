"""Which database errors are outages (503 with Retry-After) and which are bugs (500)."""

import psycopg
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from kring_platform.problems import install_problem_handlers, is_database_outage


def wrapped(orig: Exception) -> OperationalError:
    return OperationalError("SELECT 1", {}, orig)


def test_lost_connections_and_a_recovering_server_are_outages() -> None:
    assert is_database_outage(wrapped(psycopg.OperationalError("connection refused")))
    assert is_database_outage(PoolTimeout("QueuePool limit reached"))
    assert is_database_outage(psycopg.errors.AdminShutdown())  # 57P01
    assert is_database_outage(psycopg.errors.CannotConnectNow())  # 57P03, recovering
    assert is_database_outage(psycopg.errors.TooManyConnections())  # 53300


def test_a_bad_statement_or_a_statement_timeout_is_no_outage() -> None:
    assert not is_database_outage(psycopg.errors.QueryCanceled())  # 57014
    assert not is_database_outage(ProgrammingError("SELECT", {}, psycopg.ProgrammingError()))
    assert not is_database_outage(ValueError("not a database error"))


def test_an_outage_answers_503_problem_json_with_retry_after() -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/down")
    async def down() -> None:
        raise wrapped(psycopg.OperationalError("server closed the connection unexpectedly"))

    answer = TestClient(app, raise_server_exceptions=False).get("/down")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "5"
