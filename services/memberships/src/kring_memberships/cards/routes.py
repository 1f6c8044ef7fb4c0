"""Member cards: a contact's card, a sheet of cards to print, and what a scanned card says."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from kring_memberships.cards import member_cards
from kring_memberships.cards.schemas import CardCheck, CardSheet
from kring_memberships.deps import SettingsDep, Today
from kring_platform.app import RuntimeDep

router = APIRouter(tags=["member cards"])

PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "A PDF document"}
}
Token = Annotated[str, Path(max_length=1024)]


@router.get("/contacts/{contact_id}/card", response_class=Response, responses=PDF)
async def contact_card(
    contact_id: uuid.UUID,
    runtime: RuntimeDep,
    settings: SettingsDep,
    today: Today,
    type_id: uuid.UUID | None = Query(None, description="The membership type to print"),
) -> Response:
    """The contact's member card (PDF, credit-card size) for its membership active today;
    404 when it holds none."""
    async with runtime.database.transaction() as session:
        pdf = await member_cards.contact_card_pdf(
            session, contact_id, type_id=type_id, today=today, settings=settings
        )
    return _pdf(pdf, f"member-card-{contact_id}.pdf")


@router.post("/cards/sheet", response_class=Response, responses=PDF)
async def card_sheet(
    body: CardSheet, runtime: RuntimeDep, settings: SettingsDep, today: Today
) -> Response:
    """A4 sheets of the contacts' cards, in the order given (at most 500)."""
    async with runtime.database.transaction() as session:
        pdf = await member_cards.sheet_pdf(
            session, body.contact_ids, today=today, settings=settings
        )
    return _pdf(pdf, "member-cards.pdf")


@router.get("/cards/verify/{token}")
async def verify_card(
    token: Token, runtime: RuntimeDep, settings: SettingsDep, today: Today
) -> CardCheck:
    """What a card's QR code opens: whether the card is valid today, with the holder's name,
    membership type and the card's end. Answers 200 for every token, valid or not."""
    async with runtime.database.transaction() as session:
        return await member_cards.check_card(session, token, today=today, settings=settings)


@router.get("/cards/verify")
async def verify_card_query(
    runtime: RuntimeDep,
    settings: SettingsDep,
    today: Today,
    token: Annotated[str, Query(max_length=1024)],
) -> CardCheck:
    """The same check, with the token as a query parameter (for a scanner app)."""
    async with runtime.database.transaction() as session:
        return await member_cards.check_card(session, token, today=today, settings=settings)


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
