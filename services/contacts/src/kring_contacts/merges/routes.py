"""`/duplicates`: candidate pairs of contacts that may be one person, and pairs dismissed as
"not a duplicate"; `POST /contacts/{id}/merge` merges a duplicate into a contact."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from kring_contacts.contacts.views import contact_summaries, contact_view
from kring_contacts.merges import duplicates, merge
from kring_contacts.merges.duplicate_schemas import Dismissal, DismissalCreate, DuplicatePair
from kring_contacts.merges.schemas import MergeRequest
from kring_contacts.schemas import Contact
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page
from kring_platform.problems import PROBLEM_RESPONSES, NotFound
from kring_platform.route_deps import Today

router = APIRouter(tags=["duplicates"], responses=PROBLEM_RESPONSES)

MinScore = Annotated[int, Query(ge=0, le=100, description="Only pairs scoring at least this")]
MaxShared = Annotated[
    int,
    Query(
        ge=2,
        le=100,
        description="A key (an e-mail, phone, IBAN or address) that more contacts share "
        "proposes no pairs",
    ),
]


@router.get("/duplicates", response_model=Page[DuplicatePair])
async def list_duplicates(
    runtime: RuntimeDep,
    today: Today,
    min_score: MinScore = 0,
    limit: Limit = 50,
    offset: Offset = 0,
    max_shared: MaxShared = duplicates.DEFAULT_MAX_SHARED,
) -> Page[DuplicatePair]:
    """Scans every live contact for pairs that may be one person, best score first: the
    same e-mail, phone or IBAN, a similar name with the same birth date, the same address
    with a similar name. Dismissed pairs never come back. Synchronous: a million contacts
    take seconds (see bench/README.md)."""
    async with runtime.database.transaction() as session:
        found = await duplicates.scan(
            session, min_score=min_score, limit=limit, offset=offset, max_shared=max_shared
        )
        rows = await duplicates.contacts_of(session, found.pairs)
        summaries = {item.id: item for item in await contact_summaries(session, rows, today)}
    items = [
        DuplicatePair(
            contacts=(summaries[pair.contact_id], summaries[pair.other_contact_id]),
            score=pair.score,
            reasons=pair.reasons,
        )
        for pair in found.pairs
    ]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.post("/duplicates/dismissals", response_model=Dismissal, status_code=201)
async def dismiss_pair(runtime: RuntimeDep, body: DismissalCreate, response: Response) -> Dismissal:
    """The two contacts are not one person: the scan never proposes them again. 201 when
    new, 200 when they already were dismissed."""
    async with runtime.database.transaction() as session:
        dismissal, new = await duplicates.dismiss(session, body.contact_ids)
    if not new:
        response.status_code = status.HTTP_200_OK
    return Dismissal(
        contact_ids=(dismissal.contact_id, dismissal.other_contact_id),
        dismissed_at=dismissal.dismissed_at,
    )


@router.delete(
    "/duplicates/dismissals/{contact_id}/{other_contact_id}",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def undo_dismissal(
    runtime: RuntimeDep, contact_id: uuid.UUID, other_contact_id: uuid.UUID
) -> None:
    """The pair may be proposed again; 404 when it was not dismissed."""
    async with runtime.database.transaction() as session:
        if not await duplicates.undo_dismissal(session, contact_id, other_contact_id):
            raise NotFound(
                "The pair was not dismissed.",
                contact_ids=[str(contact_id), str(other_contact_id)],
            )


@router.post("/contacts/{contact_id}/merge", response_model=Contact)
async def merge_duplicate(
    runtime: RuntimeDep, contact_id: uuid.UUID, body: MergeRequest, today: Today
) -> Contact:
    """Merges `duplicate_id` into this contact, which stays: it takes the duplicate's
    e-mails, groups, family and company links (and the fields asked); the duplicate becomes
    a tombstone (its id answers 410 naming this contact) and `contact.merged` tells every
    other service to move the duplicate's memberships, subscriptions and invoices here."""
    async with runtime.unit_of_work() as work:
        survivor = await merge.merge_contacts(
            work, contact_id, body.duplicate_id, set(body.take_from_duplicate)
        )
        return await contact_view(work.session, survivor, today)
