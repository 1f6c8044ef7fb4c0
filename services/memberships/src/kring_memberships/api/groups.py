"""The rights a contact group grants its members."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from kring_memberships import group_grants
from kring_memberships.api.deps import Today
from kring_memberships.rights import RIGHT_MAX_LENGTH, RIGHT_PATTERN
from kring_memberships.schemas import GroupRights
from kring_platform.app import RuntimeDep

router = APIRouter(prefix="/groups/{group_id}/rights", tags=["group rights"])

RightPath = Annotated[str, Path(min_length=1, max_length=RIGHT_MAX_LENGTH, pattern=RIGHT_PATTERN)]


@router.get("")
async def group_rights(group_id: uuid.UUID, runtime: RuntimeDep) -> GroupRights:
    async with runtime.database.transaction() as session:
        return await group_grants.group_rights(session, group_id)


@router.put("/{right}", status_code=status.HTTP_201_CREATED)
async def grant_right(
    group_id: uuid.UUID, right: RightPath, runtime: RuntimeDep, today: Today, response: Response
) -> GroupRights:
    """The group's members hold the right from now on (201; 200 when granted already)."""
    async with runtime.unit_of_work() as work:
        if not await group_grants.grant(work, group_id, right, today):
            response.status_code = status.HTTP_200_OK
        return await group_grants.group_rights(work.session, group_id)


@router.delete("/{right}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_right(
    group_id: uuid.UUID, right: RightPath, runtime: RuntimeDep, today: Today
) -> Response:
    async with runtime.unit_of_work() as work:
        await group_grants.revoke(work, group_id, right, today)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
