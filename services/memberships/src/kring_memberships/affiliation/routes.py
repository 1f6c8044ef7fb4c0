"""The affiliation export's routes: profiles, running an export, the history and its files."""

import uuid

from fastapi import APIRouter, Request, Response
from fastapi.responses import Response as FileResponse

from kring_memberships.affiliation import exports, profiles
from kring_memberships.affiliation.columns import COLUMN_IDS, DEFAULT_HEADERS
from kring_memberships.affiliation.schemas import (
    ColumnChoice,
    ExportSummary,
    Profile,
    ProfileIn,
    RunExport,
)
from kring_memberships.deps import Today
from kring_platform.app import RuntimeDep
from kring_platform.identity import caller_identity
from kring_platform.paging import Limit, Offset, Page

router = APIRouter(prefix="/affiliation", tags=["affiliation"])


@router.get("/columns")
async def available_columns() -> list[ColumnChoice]:
    """Every column a profile can choose, with its default header."""
    return [ColumnChoice(column=column, header=DEFAULT_HEADERS[column]) for column in COLUMN_IDS]


@router.post("/profiles", status_code=201)
async def create_profile(runtime: RuntimeDep, body: ProfileIn) -> Profile:
    async with runtime.unit_of_work() as work:
        profile = await profiles.create_profile(work, body)
        return await profiles.profile_view(work.session, profile)


@router.get("/profiles")
async def list_profiles(runtime: RuntimeDep) -> list[Profile]:
    async with runtime.database.transaction() as session:
        return await profiles.list_profiles(session)


@router.get("/profiles/{profile_id}")
async def get_profile(runtime: RuntimeDep, profile_id: uuid.UUID) -> Profile:
    async with runtime.database.transaction() as session:
        return await profiles.get_profile(session, profile_id)


@router.put("/profiles/{profile_id}")
async def update_profile(runtime: RuntimeDep, profile_id: uuid.UUID, body: ProfileIn) -> Profile:
    """Replaces the profile's settings; the next delta compares the columns chosen now."""
    async with runtime.unit_of_work() as work:
        profile = await profiles.update_profile(work, profile_id, body)
        return await profiles.profile_view(work.session, profile)


@router.post("/profiles/{profile_id}/exports", status_code=201)
async def run_export(
    runtime: RuntimeDep, request: Request, today: Today, profile_id: uuid.UUID, body: RunExport
) -> ExportSummary:
    """Makes the file: every member (`full`) or the changes since the last export (`delta`,
    with a change column: new, changed, ended); its file is at `/affiliation/exports/{id}/file`."""
    identity = caller_identity(request)
    async with runtime.unit_of_work() as work:
        export = await exports.run_export(
            work,
            profile_id,
            body.mode,
            body.on or today,
            identity.user_id if identity else None,
        )
        return profiles.export_summary(export)


@router.get("/profiles/{profile_id}/exports")
async def export_history(
    runtime: RuntimeDep, profile_id: uuid.UUID, limit: Limit = 50, offset: Offset = 0
) -> Page[ExportSummary]:
    """The profile's exports, newest first."""
    async with runtime.database.transaction() as session:
        return await exports.export_history(session, profile_id, limit=limit, offset=offset)


@router.get("/exports/{export_id}")
async def get_export(runtime: RuntimeDep, export_id: uuid.UUID) -> ExportSummary:
    async with runtime.database.transaction() as session:
        return profiles.export_summary(await exports.get_export(session, export_id))


@router.get(
    "/exports/{export_id}/file",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}, "application/octet-stream": {}}}},
)
async def export_file(runtime: RuntimeDep, export_id: uuid.UUID) -> Response:
    """The file exactly as it was made."""
    async with runtime.database.transaction() as session:
        export = await exports.get_export(session, export_id, with_content=True)
    return Response(
        export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.file_name}"'},
    )
