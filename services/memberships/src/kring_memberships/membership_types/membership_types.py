"""Membership types: their terms, rights and fee versions, each change with its event.

A fee change adds a version from a date on; earlier versions are never rewritten, so what
was billed stays explained. A change of a type's rights changes the access of every contact
with a membership of that type active today.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts.memberships import (
    FeeVersion as FeeVersionDetails,
)
from kring_contracts.memberships import (
    MembershipTypeCreated,
    MembershipTypeDetails,
    MembershipTypeUpdated,
)
from kring_memberships.access.access_publishing import refresh_access
from kring_memberships.access.access_rights import active_on
from kring_memberships.constraints import UNIQUE_VIOLATION, flush_or_conflict
from kring_memberships.db_models import FeeVersion, Membership, MembershipType
from kring_memberships.membership_types.schemas import (
    FeeVersionView,
    MembershipTypeChange,
    MembershipTypeView,
    NewFeeVersion,
    NewMembershipType,
)
from kring_memberships.membership_types.terms import Term, check_term
from kring_platform.paging import Page, fetch_listing
from kring_platform.problems import Conflict, InvalidInput, NotFound
from kring_platform.schemas import model_of
from kring_platform.unit_of_work import UnitOfWork

TYPE_AGGREGATE = "membership_type"


def not_found(type_id: uuid.UUID) -> NotFound:
    return NotFound(f"Membership type {type_id} does not exist.", type_id=str(type_id))


def term_of(membership_type: MembershipType) -> Term:
    return Term(
        kind=membership_type.term_kind,  # type: ignore[arg-type]
        period_start_month=membership_type.period_start_month,
        period_start_day=membership_type.period_start_day,
        months=membership_type.term_months,
        end_date=membership_type.term_end_date,
    )


async def lock_type(
    work: UnitOfWork, type_id: uuid.UUID, *, share: bool = False
) -> MembershipType | None:
    """Shared by whoever reads the type's rights or term into a membership; exclusive for a
    change of the type, which then sees those memberships (see db_models' lock order)."""
    return await work.lock(MembershipType, MembershipType.id == type_id, shared=share)


async def create_type(work: UnitOfWork, draft: NewMembershipType) -> MembershipTypeView:
    session = work.session
    await _refuse_taken_name(session, draft.name, None)
    membership_type = MembershipType(
        id=uuid.uuid4(),
        **draft.model_dump(exclude={"fee", "rights"}),
        rights=sorted(set(draft.rights)),
        archived=False,
        version=0,  # its created event makes it 1
    )
    session.add(membership_type)
    await _flush_or_name_taken(session, draft.name)
    session.add(FeeVersion(type_id=membership_type.id, **draft.fee.model_dump()))
    await session.flush()
    fees = await fee_versions(session, membership_type.id)
    await work.record(
        membership_type,
        MembershipTypeCreated(
            type_id=membership_type.id, membership_type=details(membership_type, fees)
        ),
        aggregate_type=TYPE_AGGREGATE,
    )
    return type_view(membership_type, fees)


async def update_type(
    work: UnitOfWork, type_id: uuid.UUID, change: MembershipTypeChange, today: date
) -> MembershipTypeView:
    session = work.session
    membership_type = await lock_type(work, type_id)
    if membership_type is None:
        raise not_found(type_id)
    wanted: dict[str, Any] = change.model_dump(include=change.model_fields_set)
    if "rights" in wanted:
        wanted["rights"] = sorted(set(wanted["rights"]))
    changed = sorted(
        name for name, value in wanted.items() if getattr(membership_type, name) != value
    )
    fees = await fee_versions(session, type_id)
    if not changed:
        return type_view(membership_type, fees)
    _check_term_after(membership_type, wanted)
    if "name" in changed:
        await _refuse_taken_name(session, wanted["name"], type_id)
    rights_before = list(membership_type.rights)
    for name in changed:
        setattr(membership_type, name, wanted[name])
    await _flush_or_name_taken(session, membership_type.name)
    await work.record(
        membership_type,
        MembershipTypeUpdated(
            type_id=type_id,
            membership_type=details(membership_type, fees),
            changed_fields=changed,
        ),
        aggregate_type=TYPE_AGGREGATE,
    )
    if membership_type.rights != rights_before:
        await refresh_access(work, await _members_today(session, type_id, today), today)
    return type_view(membership_type, fees)


async def add_fee_version(
    work: UnitOfWork, type_id: uuid.UUID, fee: NewFeeVersion
) -> MembershipTypeView:
    """The fee from `fee.valid_from` on; it must come after the latest version's date, so no
    period already billed at an earlier rate is rewritten."""
    session = work.session
    membership_type = await lock_type(work, type_id)
    if membership_type is None:
        raise not_found(type_id)
    fees = await fee_versions(session, type_id)
    latest = fees[-1].valid_from
    if fee.valid_from <= latest:
        raise Conflict(
            f"A fee version must start after the latest one ({latest}).",
            latest_valid_from=latest.isoformat(),
        )
    session.add(FeeVersion(type_id=type_id, **fee.model_dump()))
    await session.flush()
    fees = await fee_versions(session, type_id)
    await work.record(
        membership_type,
        MembershipTypeUpdated(
            type_id=type_id,
            membership_type=details(membership_type, fees),
            changed_fields=["fee_versions"],
        ),
        aggregate_type=TYPE_AGGREGATE,
    )
    return type_view(membership_type, fees)


async def get_type(session: AsyncSession, type_id: uuid.UUID) -> MembershipTypeView:
    membership_type = await session.get(MembershipType, type_id)
    if membership_type is None:
        raise not_found(type_id)
    return type_view(membership_type, await fee_versions(session, type_id))


async def types_page(
    session: AsyncSession, *, include_archived: bool, limit: int, offset: int
) -> Page[MembershipTypeView]:
    query = select(MembershipType)
    if not include_archived:
        query = query.where(~MembershipType.archived)
    query = query.order_by(func.lower(MembershipType.name), MembershipType.id)
    listing = await fetch_listing(session, query, limit=limit, offset=offset)
    fees = await _fees_of(session, [row.id for row in listing.items])
    items = [type_view(row, fees.get(row.id, [])) for row in listing.items]
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


async def fee_versions(session: AsyncSession, type_id: uuid.UUID) -> list[FeeVersion]:
    return (await _fees_of(session, [type_id])).get(type_id, [])


async def _fees_of(
    session: AsyncSession, type_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[FeeVersion]]:
    fees: dict[uuid.UUID, list[FeeVersion]] = {}
    if type_ids:
        rows = await session.scalars(
            select(FeeVersion)
            .where(FeeVersion.type_id.in_(type_ids))
            .order_by(FeeVersion.type_id, FeeVersion.valid_from)
        )
        for fee in rows:
            fees.setdefault(fee.type_id, []).append(fee)
    return fees


def details(membership_type: MembershipType, fees: list[FeeVersion]) -> MembershipTypeDetails:
    """The whole type, as its events carry it."""
    fee_versions = [model_of(FeeVersionDetails, fee) for fee in fees]
    return model_of(MembershipTypeDetails, membership_type, fee_versions=fee_versions)


def type_view(membership_type: MembershipType, fees: list[FeeVersion]) -> MembershipTypeView:
    fee_versions = [model_of(FeeVersionView, fee) for fee in fees]
    return model_of(MembershipTypeView, membership_type, fee_versions=fee_versions)


def _check_term_after(membership_type: MembershipType, wanted: dict[str, Any]) -> None:
    def after(name: str) -> Any:
        return wanted[name] if name in wanted else getattr(membership_type, name)

    try:
        check_term(
            after("term_kind"),
            period_start_month=after("period_start_month"),
            period_start_day=after("period_start_day"),
            months=after("term_months"),
            end_date=after("term_end_date"),
        )
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


async def _members_today(session: AsyncSession, type_id: uuid.UUID, today: date) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(Membership.contact_id).where(Membership.type_id == type_id, active_on(today))
    )
    return set(rows)


async def _refuse_taken_name(session: AsyncSession, name: str, own_id: uuid.UUID | None) -> None:
    query = select(MembershipType.id).where(func.lower(MembershipType.name) == func.lower(name))
    if own_id is not None:
        query = query.where(MembershipType.id != own_id)
    if await session.scalar(query) is not None:
        raise _name_taken(name)


async def _flush_or_name_taken(session: AsyncSession, name: str) -> None:
    """The unique index on lower(name) decides between two requests that race."""
    await flush_or_conflict(session, UNIQUE_VIOLATION, _name_taken(name))


def _name_taken(name: str) -> Conflict:
    return Conflict(f"A membership type named {name!r} exists already.", name=name)
