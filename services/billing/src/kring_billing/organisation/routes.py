"""The organisation as invoices show it, and the treasurer's choice of payment reference."""

from fastapi import APIRouter

from kring_billing.deps import SettingsDep
from kring_billing.documents.payment_reference import ReferenceScheme
from kring_billing.organisation.preferences import choose_reference_scheme, reference_scheme
from kring_billing.organisation.schemas import OrganisationChange, OrganisationOut
from kring_billing.settings import Settings
from kring_platform.app import RuntimeDep
from kring_platform.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/organisation", tags=["organisation"])


def _organisation_out(settings: Settings, scheme: ReferenceScheme) -> OrganisationOut:
    return OrganisationOut(
        name=settings.organisation_name,
        address=settings.organisation_address,
        vat_number=settings.organisation_vat_number,
        iban=settings.organisation_iban,
        bic=settings.organisation_bic,
        payment_reference_scheme=scheme,
    )


@router.get("", response_model=OrganisationOut, responses=PROBLEM_RESPONSES)
async def organisation(runtime: RuntimeDep, settings: SettingsDep) -> OrganisationOut:
    """Who the organisation is on invoices (from the environment) and which payment
    reference its invoices carry."""
    async with runtime.database.transaction() as session:
        scheme = await reference_scheme(session, settings)
    return _organisation_out(settings, scheme)


@router.patch("", response_model=OrganisationOut, responses=PROBLEM_RESPONSES)
async def change_organisation(
    change: OrganisationChange, runtime: RuntimeDep, settings: SettingsDep
) -> OrganisationOut:
    """Chooses the payment reference invoices carry from now on, on their PDFs and e-mails
    (bank statements are matched by either kind whatever the choice)."""
    async with runtime.database.transaction() as session:
        await choose_reference_scheme(session, change.payment_reference_scheme)
    return _organisation_out(settings, change.payment_reference_scheme)
