"""Direct debit routes: a contact's SEPA mandates, and collections (pain.008 files for open
invoices with mandates)."""

import uuid
from datetime import datetime

from fastapi import APIRouter, Response, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import Invoice
from kring_billing.deps import SettingsDep, Today
from kring_billing.sepa import mandates
from kring_billing.sepa.collections import create_collection
from kring_billing.sepa.models import Collection, CollectionItem, Mandate
from kring_billing.sepa.schemas import (
    CollectedInvoice,
    CollectionCreate,
    CollectionOut,
    MandateChange,
    MandateCreate,
    MandateOut,
    SkippedInvoice,
)
from kring_platform.app import RuntimeDep
from kring_platform.concurrency import (
    ETAG_RESPONSE,
    PRECONDITION_FAILED_RESPONSE,
    IfMatch,
    require_if_match,
    set_etag,
)
from kring_platform.problems import PROBLEM_RESPONSES, NotFound
from kring_platform.schemas import model_of

mandates_router = APIRouter(prefix="/contacts/{contact_id}/mandates", tags=["mandates"])
CONDITIONAL_RESPONSES = {**PROBLEM_RESPONSES, **ETAG_RESPONSE, **PRECONDITION_FAILED_RESPONSE}


@mandates_router.post(
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


@mandates_router.get("", response_model=list[MandateOut], responses=PROBLEM_RESPONSES)
async def list_mandates(contact_id: uuid.UUID, runtime: RuntimeDep) -> list[MandateOut]:
    """The contact's mandates, active and revoked, the most recently signed first."""
    async with runtime.database.transaction() as session:
        return [
            MandateOut.of(mandate) for mandate in await mandates.mandates_of(session, contact_id)
        ]


@mandates_router.get(
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


@mandates_router.patch("/{mandate_id}", response_model=MandateOut, responses=CONDITIONAL_RESPONSES)
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


@mandates_router.post(
    "/{mandate_id}/revoke", response_model=MandateOut, responses=PROBLEM_RESPONSES
)
async def revoke_mandate(
    contact_id: uuid.UUID, mandate_id: uuid.UUID, runtime: RuntimeDep, today: Today
) -> MandateOut:
    """No further collections under it; collections already made stay. Idempotent."""
    async with runtime.unit_of_work() as work:
        mandate = await mandates.revoke_mandate(work, contact_id, mandate_id, today=today)
        return MandateOut.of(mandate)


@mandates_router.delete(
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


collections_router = APIRouter(prefix="/collections", tags=["collections"])


async def _collection_out(session: AsyncSession, collection: Collection) -> CollectionOut:
    rows = await session.execute(
        select(CollectionItem, Invoice.number, Mandate.reference)
        .join(Invoice, Invoice.id == CollectionItem.invoice_id)
        .join(Mandate, Mandate.id == CollectionItem.mandate_id)
        .where(CollectionItem.collection_id == collection.id)
        .order_by(Invoice.number)
    )
    included = [
        model_of(
            CollectedInvoice,
            item,
            number=number,
            sequence_type="FRST" if item.sequence_type == "FRST" else "RCUR",
            mandate_reference=reference,
        )
        for item, number, reference in rows
    ]
    skipped = [SkippedInvoice.model_validate(skip) for skip in collection.skipped]
    return model_of(CollectionOut, collection, included=included, skipped=skipped)


async def _collection(session: AsyncSession, collection_id: uuid.UUID) -> Collection:
    collection = await session.get(Collection, collection_id)
    if collection is None:
        raise NotFound(f"No collection {collection_id}.")
    return collection


@collections_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CollectionOut,
    responses=PROBLEM_RESPONSES,
)
async def collect(
    body: CollectionCreate, runtime: RuntimeDep, settings: SettingsDep, today: Today
) -> CollectionOut:
    """A pain.008 file (validated against the XSD) for the chosen open invoices whose
    contact has an active mandate. They are marked as submitted and never collected twice
    (unless the bank returns the debit: then a later collection may take them again); the
    others are listed under `skipped` with the reason. None collectible: 422."""
    async with runtime.unit_of_work() as work:
        collection, _, _ = await create_collection(
            work, body, settings, today=today, now=datetime.now().astimezone()
        )
        return await _collection_out(work.session, collection)


@collections_router.get(
    "/{collection_id}", response_model=CollectionOut, responses=PROBLEM_RESPONSES
)
async def get_collection(collection_id: uuid.UUID, runtime: RuntimeDep) -> CollectionOut:
    async with runtime.database.transaction() as session:
        return await _collection_out(session, await _collection(session, collection_id))


@collections_router.get(
    "/{collection_id}/pain008.xml",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}}, **PROBLEM_RESPONSES},
)
async def collection_file(collection_id: uuid.UUID, runtime: RuntimeDep) -> Response:
    """The pain.008 file, as validated when the collection was made."""
    async with runtime.database.transaction() as session:
        collection = await _collection(session, collection_id)
    return Response(
        collection.xml,
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{collection.message_id}.xml"'},
    )
