"""`GET /contacts/{id}/personal-data`: this service's part of an access request."""

import uuid

from fastapi import APIRouter

from kring_memberships.deps import SettingsDep
from kring_memberships.personal_data import access_request
from kring_memberships.personal_data.schemas import PersonalData
from kring_platform.app import RuntimeDep
from kring_platform.problems import PROBLEM_RESPONSES

router = APIRouter(tags=["privacy"], responses=PROBLEM_RESPONSES)


@router.get("/contacts/{contact_id}/personal-data", response_model=PersonalData)
async def contact_personal_data(
    contact_id: uuid.UUID, runtime: RuntimeDep, settings: SettingsDep
) -> PersonalData:
    """Everything this service holds on the contact; 404 when it knows no such contact."""
    async with runtime.database.transaction() as session:
        return await access_request.personal_data(
            session, contact_id, number_prefix=settings.member_number_prefix
        )
