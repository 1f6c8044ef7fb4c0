"""The affiliation export's events on `kring.memberships.v1`: a profile saved, an export
made. Subject and key: the profile id; sequence: the profile's version, bumped here, so the
caller (holding the profile's lock) records them in its own transaction."""

from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from kring_contracts.envelope import EventPayload
from kring_contracts.memberships import (
    AffiliationColumn,
    AffiliationExportMade,
    AffiliationExportMode,
    AffiliationFileFormat,
    AffiliationProfileSaved,
)
from kring_memberships.affiliation.models import AffiliationExport, AffiliationProfile
from kring_platform.outbox import EventOutbox

PROFILE_AGGREGATE = "affiliation_profile"


async def _record(
    session: AsyncSession,
    outbox: EventOutbox,
    profile: AffiliationProfile,
    payload: EventPayload,
) -> None:
    await outbox.record(
        session,
        payload,
        aggregate_type=PROFILE_AGGREGATE,
        subject=profile.id,
        sequence=profile.version,
        key=profile.id,
    )


async def record_profile_saved(
    session: AsyncSession, outbox: EventOutbox, profile: AffiliationProfile, *, created: bool
) -> None:
    """A new profile records version 1; a change bumps the version first."""
    if not created:
        profile.version += 1
    payload = AffiliationProfileSaved(
        profile_id=profile.id,
        name=profile.name,
        federation=profile.federation,
        columns=[AffiliationColumn.model_validate(choice) for choice in profile.columns],
        type_ids=list(profile.type_ids),
        format=cast(AffiliationFileFormat, profile.file_format),
        created=created,
    )
    await _record(session, outbox, profile, payload)


async def record_export_made(
    session: AsyncSession,
    outbox: EventOutbox,
    profile: AffiliationProfile,
    export: AffiliationExport,
) -> None:
    profile.version += 1
    payload = AffiliationExportMade(
        export_id=export.id,
        profile_id=profile.id,
        profile_name=profile.name,
        federation=profile.federation,
        number=export.number,
        mode=cast(AffiliationExportMode, export.mode),
        on=export.on,
        members=export.members,
        rows=export.rows,
        new=export.new,
        changed=export.changed,
        ended=export.ended,
        file_name=export.file_name,
    )
    await _record(session, outbox, profile, payload)
