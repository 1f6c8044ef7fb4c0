"""Export profiles: saving them (names unique in any case, types that exist) and showing them
with their last export."""

import uuid
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_memberships.affiliation.columns import DEFAULT_HEADERS
from kring_memberships.affiliation.events import record_profile_saved
from kring_memberships.affiliation.files import Encoding, FileFormat, Separator
from kring_memberships.affiliation.models import AffiliationExport, AffiliationProfile
from kring_memberships.affiliation.schemas import (
    ColumnChoice,
    ExportSummary,
    Profile,
    ProfileIn,
)
from kring_memberships.db_models import MembershipType
from kring_platform.problems import Conflict, InvalidInput, NotFound
from kring_platform.unit_of_work import UnitOfWork


async def _check_types(session: AsyncSession, type_ids: list[uuid.UUID]) -> None:
    found = await session.scalars(select(MembershipType.id).where(MembershipType.id.in_(type_ids)))
    known = set(found)
    errors = [
        {"field": f"body.type_ids.{index}", "message": "unknown membership type", "type": "unknown"}
        for index, type_id in enumerate(type_ids)
        if type_id not in known
    ]
    if errors:
        raise InvalidInput("Some membership types do not exist.", errors=errors)


async def _check_name_free(
    session: AsyncSession, name: str, profile_id: uuid.UUID | None = None
) -> None:
    same_name = select(AffiliationProfile.id).where(
        func.lower(AffiliationProfile.name) == name.lower()
    )
    if profile_id is not None:
        same_name = same_name.where(AffiliationProfile.id != profile_id)
    taken = await session.scalar(same_name)
    if taken is not None:
        raise Conflict(f"A profile named {name!r} exists already.", profile_id=str(taken))


def _apply(profile: AffiliationProfile, body: ProfileIn) -> None:
    profile.name = body.name
    profile.federation = body.federation
    profile.columns = [
        {"column": choice.column, "header": choice.header or DEFAULT_HEADERS[choice.column]}
        for choice in body.columns
    ]
    profile.type_ids = list(dict.fromkeys(body.type_ids))
    profile.file_format = body.format
    profile.csv_separator = body.csv_separator
    profile.csv_encoding = body.csv_encoding
    profile.change_header = body.change_header


async def create_profile(work: UnitOfWork, body: ProfileIn) -> AffiliationProfile:
    session = work.session
    await _check_types(session, body.type_ids)
    await _check_name_free(session, body.name)
    # Version 0: its saved event makes it 1.
    profile = AffiliationProfile(id=uuid.uuid4(), exports_made=0, version=0)
    _apply(profile, body)
    session.add(profile)
    await session.flush()
    await session.refresh(profile)
    await record_profile_saved(work, profile, created=True)
    return profile


async def lock_profile(work: UnitOfWork, profile_id: uuid.UUID) -> AffiliationProfile:
    """The profile, locked: its edits and exports take turns."""
    profile = await work.lock(AffiliationProfile, AffiliationProfile.id == profile_id)
    if profile is None:
        raise NotFound(f"Profile {profile_id} does not exist.")
    return profile


async def update_profile(
    work: UnitOfWork, profile_id: uuid.UUID, body: ProfileIn
) -> AffiliationProfile:
    profile = await lock_profile(work, profile_id)
    await _check_types(work.session, body.type_ids)
    await _check_name_free(work.session, body.name, profile_id)
    _apply(profile, body)
    profile.updated_at = datetime.now(UTC)
    await record_profile_saved(work, profile, created=False)
    await work.session.flush()
    return profile


def export_summary(export: AffiliationExport) -> ExportSummary:
    # The summary's fields are the export row's columns, by the same names.
    return ExportSummary.model_validate(export, from_attributes=True)


async def last_export(session: AsyncSession, profile_id: uuid.UUID) -> AffiliationExport | None:
    export: AffiliationExport | None = await session.scalar(
        select(AffiliationExport)
        .where(AffiliationExport.profile_id == profile_id)
        .order_by(AffiliationExport.number.desc())
        .limit(1)
    )
    return export


async def profile_view(session: AsyncSession, profile: AffiliationProfile) -> Profile:
    latest = await last_export(session, profile.id)
    return Profile(
        id=profile.id,
        name=profile.name,
        federation=profile.federation,
        columns=[ColumnChoice.model_validate(choice) for choice in profile.columns],
        type_ids=profile.type_ids,
        format=cast(FileFormat, profile.file_format),
        csv_separator=cast(Separator, profile.csv_separator),
        csv_encoding=cast(Encoding, profile.csv_encoding),
        change_header=profile.change_header,
        created_at=profile.created_at,
        updated_at=profile.updated_at,
        last_export=export_summary(latest) if latest else None,
    )


async def get_profile(session: AsyncSession, profile_id: uuid.UUID) -> Profile:
    profile = await session.get(AffiliationProfile, profile_id)
    if profile is None:
        raise NotFound(f"Profile {profile_id} does not exist.")
    return await profile_view(session, profile)


async def list_profiles(session: AsyncSession) -> list[Profile]:
    profiles = await session.scalars(
        select(AffiliationProfile).order_by(func.lower(AffiliationProfile.name))
    )
    return [await profile_view(session, profile) for profile in profiles]
