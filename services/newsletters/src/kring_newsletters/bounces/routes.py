"""Bounce reports in, bouncing addresses out (and cleared by the secretary)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request

from kring_newsletters.bounces import bouncing_addresses
from kring_newsletters.bounces.reports import NotADeliveryReport, parse_delivery_report
from kring_newsletters.bounces.schemas import BounceOutcome, BouncingAddressView
from kring_newsletters.sending.deps import SendingDep
from kring_platform.app import RuntimeDep
from kring_platform.paging import Limit, Offset, Page
from kring_platform.problems import InvalidInput

router = APIRouter(tags=["bounces"])

MAX_REPORT_BYTES = 2_000_000
EmailPath = Annotated[str, Path(max_length=254, pattern=r"^[^\x00\s/]+@[^\x00\s/]+$")]


@router.post("/bounces")
async def report_bounce(
    request: Request, runtime: RuntimeDep, sending: SendingDep
) -> list[BounceOutcome]:
    """Takes one delivery status notification (RFC 3464, the raw message as the body,
    e.g. `message/rfc822`) and counts a bounce for each failed recipient."""
    raw = await request.body()
    if len(raw) > MAX_REPORT_BYTES:
        raise InvalidInput("The bounce report is too large.")
    try:
        report = parse_delivery_report(raw)
    except NotADeliveryReport as exc:
        raise InvalidInput(f"Not a delivery status notification: {exc}") from exc
    async with runtime.unit_of_work() as work:
        return await bouncing_addresses.record_report(
            work, report, soft_threshold=sending.settings.soft_bounce_threshold
        )


@router.get("/bouncing-addresses")
async def list_bouncing(
    runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[BouncingAddressView]:
    """Addresses left out of every send."""
    async with runtime.database.transaction() as session:
        return await bouncing_addresses.bouncing_page(session, limit=limit, offset=offset)


@router.get("/bouncing-addresses/{email}")
async def get_address(email: EmailPath, runtime: RuntimeDep) -> BouncingAddressView:
    async with runtime.database.transaction() as session:
        return await bouncing_addresses.get(session, email)


@router.delete("/bouncing-addresses/{email}")
async def clear_address(email: EmailPath, runtime: RuntimeDep) -> BouncingAddressView:
    """The address is deliverable again (e.g. the mailbox was fixed)."""
    async with runtime.unit_of_work() as work:
        return await bouncing_addresses.clear(work, email)
