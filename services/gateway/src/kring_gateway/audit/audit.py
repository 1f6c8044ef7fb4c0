"""The audit: every change asked of the gateway (who, when, method, route, object id,
outcome), recorded before the answer leaves, and the admin's query over it."""

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kring_gateway.audit.models import AuditEntry
from kring_gateway.state import notes_of
from kring_platform.db import Database
from kring_platform.paging import Listing, fetch_listing

log = logging.getLogger(__name__)

CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"
# A created object's id is read from answers up to this size.
_MAX_SNIFFED_BODY = 64 * 1024


class AuditTrail:
    """Pure ASGI middleware: holds the answer to a change until its audit entry is written."""

    def __init__(self, app: ASGIApp, database: Database) -> None:
        self.app = app
        self.database = database

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in CHANGES
            or not scope["path"].startswith(API_PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                await self._record(scope, held)
                for each in held:
                    await send(each)
                held.clear()

        await self.app(scope, receive, hold)

    async def _record(self, scope: Scope, messages: list[Message]) -> None:
        notes = notes_of(scope)
        status = next(m["status"] for m in messages if m["type"] == "http.response.start")
        object_id = notes.object_id
        if object_id is None and status == 201:
            object_id = _created_id(messages)
        caller = notes.caller
        entry = AuditEntry(
            user_id=caller.user_id if caller else None,
            roles=sorted(caller.roles) if caller else [],
            method=scope["method"],
            route=(notes.route or "(no such route)")[:300],
            object_id=object_id[:200] if object_id else None,
            status=status,
            request_id=notes.request_id,
        )
        try:
            async with self.database.transaction() as session:
                session.add(entry)
        except Exception:
            # The change itself is done (or refused) by now; losing its entry is logged loudly.
            log.exception("audit entry not written for request %s", notes.request_id)


def _created_id(messages: list[Message]) -> str | None:
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    if len(body) > _MAX_SNIFFED_BODY:
        return None
    try:
        created = json.loads(body)
    except ValueError:
        return None
    value = created.get("id") if isinstance(created, dict) else None
    return str(value) if value is not None else None


@dataclass(frozen=True)
class AuditFilter:
    user_id: str | None = None
    method: str | None = None
    route: str | None = None
    object_id: str | None = None
    status: int | None = None
    since: datetime | None = None
    until: datetime | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """What the entries must match: each field given, and the time window."""
        equal_to: list[tuple[InstrumentedAttribute[Any], object]] = [
            (AuditEntry.user_id, self.user_id),
            (AuditEntry.method, self.method),
            (AuditEntry.route, self.route),
            (AuditEntry.object_id, self.object_id),
            (AuditEntry.status, self.status),
        ]
        conditions = [column == value for column, value in equal_to if value is not None]
        if self.since is not None:
            conditions.append(AuditEntry.at >= self.since)
        if self.until is not None:
            conditions.append(AuditEntry.at < self.until)
        return conditions


async def query_audit(
    database: Database, where: AuditFilter, limit: int, offset: int
) -> Listing[AuditEntry]:
    """Newest first."""
    statement = (
        select(AuditEntry)
        .where(*where.conditions())
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    async with database.transaction() as session:
        return await fetch_listing(session, statement, limit=limit, offset=offset)
