"""The person's rights (GDPR): `POST /contacts/{id}/erasure` erases the person everywhere,
`GET /contacts/{id}/personal-data` answers an access request with this service's part."""

import uuid

from fastapi import APIRouter, Response, status

from kring_contacts.personal_data import access_request, erasure
from kring_contacts.personal_data.access_request_schemas import PersonalData
from kring_contacts.personal_data.erasure_schemas import ErasureReport
from kring_platform.app import RuntimeDep
from kring_platform.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/contacts/{contact_id}", tags=["privacy"], responses=PROBLEM_RESPONSES)


@router.post("/erasure", response_model=ErasureReport, status_code=status.HTTP_201_CREATED)
async def erase_contact(
    runtime: RuntimeDep, contact_id: uuid.UUID, response: Response
) -> ErasureReport:
    """Erases every personal value of the contact and of the contacts merged into it, and
    publishes `contact.erased` so every service erases its copy. 201 when erased now, 200
    when it already was (nothing changes). A merged contact's id answers 410 naming the
    contact to erase instead."""
    async with runtime.unit_of_work() as work:
        done = await erasure.erase_contact(work, contact_id)
    if not done.new:
        response.status_code = status.HTTP_200_OK
    return ErasureReport(
        contact_id=done.contact_id, erased_at=done.erased_at, erased_contact_ids=done.contact_ids
    )


@router.get("/personal-data", response_model=PersonalData)
async def personal_data(runtime: RuntimeDep, contact_id: uuid.UUID) -> PersonalData:
    """Everything this service holds on the person, the contacts merged into it included.
    The other services answer the same path for their own parts."""
    async with runtime.database.transaction() as session:
        return await access_request.personal_data(session, contact_id)
