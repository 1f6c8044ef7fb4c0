"""SEPA direct debit mandates of a contact."""

import uuid

from fastapi import APIRouter, Response, status

from kring_billing.api.deps import SettingsDep, Today
from kring_billing.sepa import mandates
from kring_billing.sepa.schemas import MandateChange, MandateCreate, MandateOut
from kring_platform.app import RuntimeDep
from kring_platform.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/contacts/{contact_id}/mandates", tags=["mandates"])


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
    async with runtime.database.transaction() as session:
        mandate = await mandates.register_mandate(
            session,
            runtime.outbox,
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


@router.get("/{mandate_id}", response_model=MandateOut, responses=PROBLEM_RESPONSES)
async def get_mandate(
    contact_id: uuid.UUID, mandate_id: uuid.UUID, runtime: RuntimeDep
) -> MandateOut:
    async with runtime.database.transaction() as session:
        return MandateOut.of(await mandates.mandate_of(session, contact_id, mandate_id))


@router.patch("/{mandate_id}", response_model=MandateOut, responses=PROBLEM_RESPONSES)
async def change_mandate(
    contact_id: uuid.UUID, mandate_id: uuid.UUID, body: MandateChange, runtime: RuntimeDep
) -> MandateOut:
    """Another account for an active mandate (the debtor moved banks)."""
    async with runtime.database.transaction() as session:
        mandate = await mandates.change_mandate(
            session, runtime.outbox, contact_id, mandate_id, body
        )
        return MandateOut.of(mandate)


@router.post("/{mandate_id}/revoke", response_model=MandateOut, responses=PROBLEM_RESPONSES)
async def revoke_mandate(
    contact_id: uuid.UUID, mandate_id: uuid.UUID, runtime: RuntimeDep, today: Today
) -> MandateOut:
    """No further collections under it; collections already made stay. Idempotent."""
    async with runtime.database.transaction() as session:
        mandate = await mandates.revoke_mandate(
            session, runtime.outbox, contact_id, mandate_id, today=today
        )
        return MandateOut.of(mandate)


@router.delete("/{mandate_id}", status_code=status.HTTP_204_NO_CONTENT, responses=PROBLEM_RESPONSES)
async def delete_mandate(
    contact_id: uuid.UUID, mandate_id: uuid.UUID, runtime: RuntimeDep
) -> Response:
    """Only a mandate never used in a collection (registered by mistake); else revoke."""
    async with runtime.database.transaction() as session:
        await mandates.delete_mandate(session, runtime.outbox, contact_id, mandate_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
