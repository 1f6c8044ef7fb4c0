"""The affiliation export's events on `kring.memberships.v1`: a profile saved, an export
made. Subject and key: the profile id; sequence: the profile's version, bumped by
`work.record`, so the caller (holding the profile's lock) records them in its own unit of
work."""

from typing import cast

from kring_contracts.memberships import (
    AffiliationColumn,
    AffiliationExportMade,
    AffiliationFileFormat,
    AffiliationProfileSaved,
)
from kring_memberships.affiliation.models import AffiliationExport, AffiliationProfile
from kring_platform.schemas import model_of
from kring_platform.unit_of_work import UnitOfWork

PROFILE_AGGREGATE = "affiliation_profile"


async def record_profile_saved(
    work: UnitOfWork, profile: AffiliationProfile, *, created: bool
) -> None:
    """A new profile (created at version 0) records version 1."""
    payload = AffiliationProfileSaved(
        profile_id=profile.id,
        name=profile.name,
        federation=profile.federation,
        columns=[AffiliationColumn.model_validate(choice) for choice in profile.columns],
        type_ids=list(profile.type_ids),
        format=cast(AffiliationFileFormat, profile.file_format),
        created=created,
    )
    await work.record(profile, payload, aggregate_type=PROFILE_AGGREGATE)


async def record_export_made(
    work: UnitOfWork, profile: AffiliationProfile, export: AffiliationExport
) -> None:
    # The export's own columns (its profile_id among them) fill the fields of their name.
    payload = model_of(
        AffiliationExportMade,
        export,
        export_id=export.id,
        profile_name=profile.name,
        federation=profile.federation,
    )
    await work.record(profile, payload, aggregate_type=PROFILE_AGGREGATE)
