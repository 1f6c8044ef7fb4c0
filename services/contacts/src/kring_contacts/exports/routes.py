"""Exports of a result list (ad hoc or saved) as CSV or XLSX, streamed."""

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import Field

from kring_contacts.exports.exports import MEDIA_TYPES, ExportFormat, export_stream
from kring_contacts.search.filters import ContactQuery
from kring_contacts.search.filters_sql import QueryContext
from kring_contacts.search.routes import ViewerDep, query_context, saved_query
from kring_platform.app import RuntimeDep
from kring_platform.db import Database
from kring_platform.route_deps import Today

router = APIRouter(tags=["advanced search"])

_FILE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {media: {} for media in MEDIA_TYPES.values()}}
}


class ExportRequest(ContactQuery):
    format: ExportFormat = Field(default="csv", description="`csv` (UTF-8) or `xlsx`")


def _download(
    file_format: ExportFormat, database: Database, query: ContactQuery, context: QueryContext
) -> StreamingResponse:
    name = f"contacts-{context.day:%Y%m%d}.{file_format}"
    return StreamingResponse(
        export_stream(file_format, database, query, context),
        media_type=MEDIA_TYPES[file_format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/contacts/query/export", response_class=StreamingResponse, responses=_FILE_RESPONSE)
async def export_query(
    runtime: RuntimeDep, request: Request, body: ExportRequest, today: Today
) -> StreamingResponse:
    """Every matching contact in the chosen columns and order, as a CSV or XLSX file. Text
    a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) starts with `'`."""
    context = query_context(request, body.on or today)
    return _download(body.format, runtime.database, body, context)


@router.get(
    "/saved-searches/{search_id}/export",
    response_class=StreamingResponse,
    responses=_FILE_RESPONSE,
)
async def export_saved_search(
    runtime: RuntimeDep,
    viewer: ViewerDep,
    request: Request,
    search_id: uuid.UUID,
    today: Today,
    format: Annotated[ExportFormat, Query()] = "csv",
) -> StreamingResponse:
    """The saved search's current results as a CSV or XLSX file."""
    query = await saved_query(runtime, search_id, viewer)
    day: date = query.on or today
    return _download(format, runtime.database, query, query_context(request, day))
