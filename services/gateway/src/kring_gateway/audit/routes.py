"""The audit, for an admin: newest first, paged, filtered."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from kring_gateway.audit.audit import AuditFilter, query_audit
from kring_gateway.audit.schemas import AuditEntryOut
from kring_gateway.authorization import LoggedIn
from kring_gateway.state import gateway_of
from kring_platform.paging import Limit, Offset, Page
from kring_platform.validation import OptionalShortText

router = APIRouter(prefix="/api/v1/audit", tags=["gateway"])


@router.get("")
async def list_audit(
    request: Request,
    _: LoggedIn,
    user_id: OptionalShortText | None = None,
    method: Literal["POST", "PUT", "PATCH", "DELETE"] | None = None,
    route: Annotated[OptionalShortText | None, Query(description="A route template")] = None,
    object_id: OptionalShortText | None = None,
    status: Annotated[int | None, Query(ge=100, le=599)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[AuditEntryOut]:
    where = AuditFilter(user_id, method, route, object_id, status, since, until)
    entries = await query_audit(gateway_of(request).database, where, limit, offset)
    return Page(
        items=[AuditEntryOut.model_validate(e, from_attributes=True) for e in entries.items],
        total=entries.total,
        limit=limit,
        offset=offset,
    )
