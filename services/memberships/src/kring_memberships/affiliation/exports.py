"""Running an export of a profile: the members of its types on a day, the whole list
(`full`) or what changed since its last export (`delta`: new, changed, ended); the file and
the rows the federation now knows are kept with the export, under the profile's lock."""

import asyncio
import re
import uuid
from collections.abc import Mapping
from datetime import date
from typing import cast

from sqlalchemy import ColumnElement, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from kring_memberships.access.access_rights import active_on
from kring_memberships.affiliation.columns import member_values
from kring_memberships.affiliation.delta import DeltaRow, MemberValues, delta_rows
from kring_memberships.affiliation.events import record_export_made
from kring_memberships.affiliation.files import (
    Encoding,
    FileFormat,
    Separator,
    affiliation_file,
    media_type,
)
from kring_memberships.affiliation.models import (
    AffiliationExport,
    AffiliationExportRow,
    AffiliationProfile,
)
from kring_memberships.affiliation.profiles import export_summary, last_export, lock_profile
from kring_memberships.affiliation.schemas import ExportMode, ExportSummary
from kring_memberships.db_models import Contact, Membership, MembershipType
from kring_platform.paging import Page
from kring_platform.problems import NotFound
from kring_platform.unit_of_work import UnitOfWork

_EXTENSIONS: dict[FileFormat, str] = {"csv": "csv", "xlsx": "xlsx"}


def _of_types(profile: AffiliationProfile) -> list[ColumnElement[bool]]:
    return [Membership.type_id.in_(profile.type_ids)] if profile.type_ids else []


async def members_on(
    session: AsyncSession, profile: AffiliationProfile, day: date
) -> dict[uuid.UUID, dict[str, str]]:
    """Every member of the profile's types on `day` (contacts not deleted) with all column
    values, by name. A contact holding several such memberships is one row, showing the one
    that started last."""
    rows = await session.execute(
        select(Contact, Membership, MembershipType.name)
        .join(Membership, Membership.contact_id == Contact.id)
        .join(MembershipType, MembershipType.id == Membership.type_id)
        .where(active_on(day), ~Contact.deleted, *_of_types(profile))
        .order_by(
            Contact.last_name,
            Contact.first_name,
            Contact.id,
            Membership.start_date.desc(),
            MembershipType.name,
        )
    )
    members: dict[uuid.UUID, dict[str, str]] = {}
    for contact, membership, type_name in rows:
        members.setdefault(contact.id, member_values(contact, membership, type_name))
    return members


async def _previous_rows(
    session: AsyncSession, export: AffiliationExport | None
) -> dict[uuid.UUID, dict[str, str]]:
    if export is None:
        return {}
    rows = await session.execute(
        select(AffiliationExportRow.contact_id, AffiliationExportRow.values).where(
            AffiliationExportRow.export_id == export.id
        )
    )
    return {contact_id: values for contact_id, values in rows}


async def _last_end_dates(
    session: AsyncSession, profile: AffiliationProfile, contact_ids: list[uuid.UUID], day: date
) -> dict[uuid.UUID, str]:
    """For members who left: the end of their last membership of the profile's types."""
    if not contact_ids:
        return {}
    rows = await session.execute(
        select(Membership.contact_id, Membership.end_date)
        .where(
            Membership.contact_id.in_(contact_ids),
            Membership.deleted_at.is_(None),
            Membership.end_date.is_not(None),
            Membership.end_date < day,
            *_of_types(profile),
        )
        .order_by(Membership.contact_id, Membership.end_date)
    )
    return {contact_id: end.isoformat() for contact_id, end in rows if end is not None}


async def _ended_with_end_dates(
    session: AsyncSession,
    profile: AffiliationProfile,
    rows: list[DeltaRow],
    day: date,
) -> list[DeltaRow]:
    ended = [row.contact_id for row in rows if row.change == "ended"]
    end_dates = await _last_end_dates(session, profile, ended, day)
    return [
        DeltaRow(row.contact_id, row.change, {**row.values, "end_date": end_dates[row.contact_id]})
        if row.change == "ended" and "end_date" in row.values and row.contact_id in end_dates
        else row
        for row in rows
    ]


def _file_name(profile: AffiliationProfile, number: int, mode: ExportMode, day: date) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", profile.name.lower()).strip("-") or "affiliation"
    extension = _EXTENSIONS[cast(FileFormat, profile.file_format)]
    return f"{slug}-{day.isoformat()}-{number}-{mode}.{extension}"


def _only(values: MemberValues, columns: list[str]) -> dict[str, str]:
    return {column: values.get(column, "") for column in columns}


async def run_export(
    work: UnitOfWork,
    profile_id: uuid.UUID,
    mode: ExportMode,
    day: date,
    created_by: str | None,
) -> AffiliationExport:
    session = work.session
    profile = await lock_profile(work, profile_id)
    columns = [choice["column"] for choice in profile.columns]
    header = [choice["header"] for choice in profile.columns]
    current = await members_on(session, profile, day)
    exported = {contact_id: _only(values, columns) for contact_id, values in current.items()}

    changes: list[DeltaRow] | None = None
    if mode == "delta":
        previous = await _previous_rows(session, await last_export(session, profile.id))
        changes = await _ended_with_end_dates(
            session, profile, delta_rows(previous, exported, columns), day
        )
        header = [*header, profile.change_header]
        lines = [[*_only(row.values, columns).values(), row.change] for row in changes]
    else:
        lines = [list(values.values()) for values in exported.values()]

    content = await asyncio.to_thread(
        affiliation_file,
        header,
        lines,
        file_format=cast(FileFormat, profile.file_format),
        separator=cast(Separator, profile.csv_separator),
        encoding=cast(Encoding, profile.csv_encoding),
    )
    profile.exports_made += 1
    export = AffiliationExport(
        id=uuid.uuid4(),
        profile_id=profile.id,
        number=profile.exports_made,
        mode=mode,
        on=day,
        created_by=created_by,
        members=len(current),
        rows=len(lines),
        new=_count(changes, "new"),
        changed=_count(changes, "changed"),
        ended=_count(changes, "ended"),
        file_name=_file_name(profile, profile.exports_made, mode, day),
        media_type=media_type(
            cast(FileFormat, profile.file_format), cast(Encoding, profile.csv_encoding)
        ),
        size=len(content),
        content=content,
    )
    session.add(export)
    await session.flush()
    await _keep_rows(session, export.id, exported)
    await session.refresh(export)
    await record_export_made(work, profile, export)
    return export


def _count(changes: list[DeltaRow] | None, change: str) -> int | None:
    if changes is None:
        return None
    return sum(1 for row in changes if row.change == change)


async def _keep_rows(
    session: AsyncSession, export_id: uuid.UUID, exported: Mapping[uuid.UUID, dict[str, str]]
) -> None:
    """What the federation knows after this export: every current member's values."""
    if exported:
        await session.execute(
            insert(AffiliationExportRow),
            [
                {"export_id": export_id, "contact_id": contact_id, "values": values}
                for contact_id, values in exported.items()
            ],
        )


async def export_history(
    session: AsyncSession, profile_id: uuid.UUID, *, limit: int, offset: int
) -> Page[ExportSummary]:
    if await session.get(AffiliationProfile, profile_id) is None:
        raise NotFound(f"Profile {profile_id} does not exist.")
    total = await session.scalar(
        select(AffiliationProfile.exports_made).where(AffiliationProfile.id == profile_id)
    )
    exports = await session.scalars(
        select(AffiliationExport)
        .where(AffiliationExport.profile_id == profile_id)
        .order_by(AffiliationExport.number.desc())
        .limit(limit)
        .offset(offset)
    )
    items = [export_summary(export) for export in exports]
    return Page(items=items, total=total or 0, limit=limit, offset=offset)


async def get_export(
    session: AsyncSession, export_id: uuid.UUID, *, with_content: bool = False
) -> AffiliationExport:
    query = select(AffiliationExport).where(AffiliationExport.id == export_id)
    if with_content:
        query = query.options(undefer(AffiliationExport.content))
    export = await session.scalar(query)
    if export is None:
        raise NotFound(f"Export {export_id} does not exist.")
    return export
