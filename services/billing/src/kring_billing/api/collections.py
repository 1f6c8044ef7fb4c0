"""Direct debit collections: pain.008 files for open invoices with mandates."""

import uuid
from datetime import datetime

from fastapi import APIRouter, Response, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.api.deps import SettingsDep, Today
from kring_billing.db_models import Invoice
from kring_billing.sepa.collections import create_collection
from kring_billing.sepa.models import Collection, CollectionItem, Mandate
from kring_billing.sepa.schemas import (
    CollectedInvoice,
    CollectionCreate,
    CollectionOut,
    SkippedInvoice,
)
from kring_platform.app import RuntimeDep
from kring_platform.problems import PROBLEM_RESPONSES, NotFound

router = APIRouter(prefix="/collections", tags=["collections"])


async def _collection_out(session: AsyncSession, collection: Collection) -> CollectionOut:
    rows = await session.execute(
        select(CollectionItem, Invoice.number, Mandate.reference)
        .join(Invoice, Invoice.id == CollectionItem.invoice_id)
        .join(Mandate, Mandate.id == CollectionItem.mandate_id)
        .where(CollectionItem.collection_id == collection.id)
        .order_by(Invoice.number)
    )
    return CollectionOut(
        id=collection.id,
        message_id=collection.message_id,
        collection_date=collection.collection_date,
        transaction_count=collection.transaction_count,
        control_sum=collection.control_sum,
        created_at=collection.created_at,
        included=[
            CollectedInvoice(
                invoice_id=item.invoice_id,
                number=number,
                amount=item.amount,
                sequence_type="FRST" if item.sequence_type == "FRST" else "RCUR",
                mandate_reference=reference,
            )
            for item, number, reference in rows
        ],
        skipped=[SkippedInvoice.model_validate(skip) for skip in collection.skipped],
    )


async def _collection(session: AsyncSession, collection_id: uuid.UUID) -> Collection:
    collection = await session.get(Collection, collection_id)
    if collection is None:
        raise NotFound(f"No collection {collection_id}.")
    return collection


@router.post(
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


@router.get("/{collection_id}", response_model=CollectionOut, responses=PROBLEM_RESPONSES)
async def get_collection(collection_id: uuid.UUID, runtime: RuntimeDep) -> CollectionOut:
    async with runtime.database.transaction() as session:
        return await _collection_out(session, await _collection(session, collection_id))


@router.get(
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
