"""RFC 9457 problem details: every error leaves a service as `application/problem+json`."""

import logging
from http import HTTPStatus
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    field: str
    message: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem document, as every error response carries it."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] | None = None


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description, "content": {PROBLEM_JSON: {}}}


# Declared on every route, so the OpenAPI document shows the error bodies clients get.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: _problem("Unknown id"),
    409: _problem("Conflicts with the current state"),
    422: _problem("Invalid input, with the fields at fault"),
    500: _problem("Unexpected error"),
    503: _problem("A dependency (the database) is unavailable; retry after Retry-After"),
}

# How long a client should wait before retrying when the database is away: about what a
# restart of Postgres takes.
DATABASE_RETRY_AFTER_S = 5
# SQLSTATE classes that say the server, not the request, is at fault: connection exception
# (08), insufficient resources (53, e.g. too many connections), operator intervention (57:
# shutdown, crash, cannot connect now while it recovers), system error (58).
_OUTAGE_SQLSTATE_CLASSES = ("08", "53", "57", "58")


class DomainError(Exception):
    """An error the domain raises; the API turns it into a problem response."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions
        # Response headers beside the problem (e.g. the current `ETag` of a 412).
        self.headers: dict[str, str] = {}


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class InvalidInput(DomainError):
    status = 422
    title = "Invalid input"


# The other standard kinds a service or the gateway answers with; a subclass may give a
# title of its own (what the client is shown), the status stays the kind's.


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Gone(DomainError):
    status = 410
    title = "Gone"


class ContentTooLarge(DomainError):
    status = 413
    title = "Content too large"


class UnsupportedMediaType(DomainError):
    status = 415
    title = "Unsupported media type"


class BadGateway(DomainError):
    """What the service relies on (e.g. the mail server) refused or failed."""

    status = 502
    title = "Bad gateway"


class ServiceUnavailable(DomainError):
    """Nothing was done; with `retry_after_s`, the same request may succeed after that long."""

    status = 503
    title = "Service unavailable"

    def __init__(self, detail: str, *, retry_after_s: int | None = None, **extensions: Any) -> None:
        super().__init__(detail, **extensions)
        if retry_after_s is not None:
            self.headers["Retry-After"] = str(retry_after_s)


def problem_response(
    status: int, title: str | None = None, detail: str | None = None, **extensions: Any
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update(extensions)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "field": ".".join(str(part) for part in error["loc"]),
            "message": error["msg"],
            "type": error["type"],
        }
        for error in exc.errors()
    ]


def is_database_outage(exc: BaseException) -> bool:
    """The database could not be reached or dropped the connection: not the request's fault,
    and the same request may succeed once it is back."""
    if isinstance(exc, PoolTimeout | DisconnectionError):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        exc = exc.orig if exc.orig is not None else exc
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        # Raised without SQLSTATE when the connection failed or broke, with one when the
        # server refused (e.g. 57P03 while it recovers); a statement timeout (57014) is not
        # an outage.
        sqlstate = str(getattr(exc, "sqlstate", None) or "")
        return not sqlstate or (
            sqlstate.startswith(_OUTAGE_SQLSTATE_CLASSES) and sqlstate != "57014"
        )
    return False


def database_unavailable() -> JSONResponse:
    response = problem_response(
        503, "Service unavailable", "The database is unavailable; try again shortly."
    )
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER_S)
    return response


# The title of a 503 for a change rolled back by a deadlock or serialization failure: a
# client may send the same request again (tests/e2e/retrying.py does).
TRY_AGAIN_TITLE = "Try again"


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        response = problem_response(exc.status, exc.title, exc.detail, **exc.extensions)
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(
            422, "Invalid input", "The request has invalid fields.", errors=_field_errors(exc)
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else None
        return problem_response(exc.status_code, detail=detail)

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        # A deadlock or serialization failure rolled the whole transaction back: nothing
        # changed and the same request may simply be sent again.
        if str(getattr(exc.orig, "sqlstate", "")).startswith("40"):  # transaction rollback
            log.warning(
                "transaction rolled back on %s %s: %s", request.method, request.url.path, exc.orig
            )
            response = problem_response(
                503,
                TRY_AGAIN_TITLE,
                "The change met a concurrent one and was not made; send it again.",
            )
            response.headers["Retry-After"] = "1"
            return response
        return _failure(request, exc, "database error")

    @app.exception_handler(PoolTimeout)
    async def pool_exhausted(request: Request, exc: PoolTimeout) -> JSONResponse:
        return _outage(request, exc)

    @app.exception_handler(psycopg.Error)
    async def driver_error(request: Request, exc: psycopg.Error) -> JSONResponse:
        # Raw psycopg (COPY, LISTEN) raises its own errors, unwrapped by SQLAlchemy.
        return _failure(request, exc, "database error")

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        # Also what a middleware raised (e.g. the gateway's audit writing to the database).
        return _failure(request, exc, "unhandled error")


def _failure(request: Request, exc: Exception, kind: str) -> JSONResponse:
    """503 when the database is away (the same request may succeed later), else a 500 whose
    traceback is logged as `kind`."""
    if is_database_outage(exc):
        return _outage(request, exc)
    log.exception("%s on %s %s", kind, request.method, request.url.path)
    return problem_response(500, detail="An unexpected error occurred.")


def _outage(request: Request, exc: BaseException) -> JSONResponse:
    # One line without a traceback: an outage is expected, and repeats (log_throttle).
    log.warning(
        "database unavailable on %s %s: %s", request.method, request.url.path, type(exc).__name__
    )
    return database_unavailable()
