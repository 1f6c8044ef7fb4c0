"""SEPA direct debit mandates of a contact."""

import uuid

from fastapi import APIRouter, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.api.deps import SettingsDep, Today
from kring_billing.sepa import mandates
from kring_billing.sepa.models import Mandate
from kring_billing.sepa.schemas import MandateChange, MandateCreate, MandateOut
from kring_platform.app import RuntimeDep
from kring_platform.concurrency import (
    ETAG_RESPONSE,
    PRECONDITION_FAILED_RESPONSE,
    IfMatch,
    require_if_match,
    set_etag,
)
from kring_platform.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/contacts/{contact_id}/mandates", tags=["mandates"])
CONDITIONAL_RESPONSES = {**PROBLEM_RESPONSES, **ETAG_RESPONSE, **PRECONDITION_FAILED_RESPONSE}


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=MandateOut, responses=PROBLEM_RESPONSES
)
async def register_mandate(
    contact_id: uuid.UUID,
    body: MandateCreate,
    runtime: RuntimeDep,
    settings: SettingsDep,
    today: Today,
) -> MandateOut:
    """A mandate the contact signed; IBAN checked, BIC required outside the EEA. Its first
    collection goes as FRST, later ones as RCUR."""
    async with runtime.unit_of_work() as work:
        mandate = await mandates.register_mandate(
            work,
            contact_id,
            body,
            today=today,
            reference_prefix=settings.mandate_reference_prefix,
        )
        return MandateOut.of(mandate)


@router.get("", response_model=list[MandateOut], responses=PROBLEM_RESPONSES)
async def list_mandates(contact_id: uuid.UUID, runtime: RuntimeDep) -> list[MandateOut]:
    """The contact's mandates, active and revoked, the most recently signed first."""
    async with runtime.database.transaction() as session:
        return [
            MandateOut.of(mandate) for mandate in await mandates.mandates_of(session, contact_id)
        ]


@router.get(
    "/{mandate_id}", response_model=MandateOut, responses={**PROBLEM_RESPONSES, **ETAG_RESPONSE}
)
async def get_mandate(
    contact_id: uuid.UUID, mandate_id: uuid.UUID, runtime: RuntimeDep, response: Response
) -> MandateOut:
    """One mandate. `ETag` is its version."""
    async with runtime.database.transaction() as session:
        view = MandateOut.of(await mandates.mandate_of(session, contact_id, mandate_id))
    set_etag(response, view.version)
    return view


@router.patch("/{mandate_id}", response_model=MandateOut, responses=CONDITIONAL_RESPONSES)
async def change_mandate(
    contact_id: uuid.UUID,
    mandate_id: uuid.UUID,
    body: MandateChange,
    runtime: RuntimeDep,
    response: Response,
    if_match: IfMatch = None,
) -> MandateOut:
    """Another account for an active mandate (the debtor moved banks). With `If-Match`, 412
    when the mandate is no longer at that version."""
    async with runtime.unit_of_work() as work:
        await _require_if_match(work.session, if_match, contact_id, mandate_id)
        view = MandateOut.of(await mandates.change_mandate(work, contact_id, mandate_id, body))
    set_etag(response, view.version)
    return view


@router.post("/{mandate_id}/revoke", response_model=MandateOut, responses=PROBLEM_RESPONSES)
async def revoke_mandate(
    contact_id: uuid.UUID, mandate_id: uuid.UUID, runtime: RuntimeDep, today: Today
) -> MandateOut:
    """No further collections under it; collections already made stay. Idempotent."""
    async with runtime.unit_of_work() as work:
        mandate = await mandates.revoke_mandate(work, contact_id, mandate_id, today=today)
        return MandateOut.of(mandate)


@router.delete(
    "/{mandate_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**PROBLEM_RESPONSES, **PRECONDITION_FAILED_RESPONSE},
)
async def delete_mandate(
    contact_id: uuid.UUID, mandate_id: uuid.UUID, runtime: RuntimeDep, if_match: IfMatch = None
) -> Response:
    """Only a mandate never used in a collection (registered by mistake); else revoke. With
    `If-Match`, 412 when the mandate is no longer at that version."""
    async with runtime.unit_of_work() as work:
        await _require_if_match(work.session, if_match, contact_id, mandate_id)
        await mandates.delete_mandate(work, contact_id, mandate_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _require_if_match(
    session: AsyncSession, if_match: str | None, contact_id: uuid.UUID, mandate_id: uuid.UUID
) -> None:
    async def current() -> MandateOut:
        return MandateOut.of(await mandates.mandate_of(session, contact_id, mandate_id))

    await require_if_match(
        session,
        if_match,
        Mandate.version,
        (Mandate.id == mandate_id) & (Mandate.contact_id == contact_id),
        current=current,
    )
