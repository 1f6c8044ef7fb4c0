"""`/companies`: companies, their linked contacts, contracts and sponsor logo, and the CSV
export."""

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Header, Request, Response, UploadFile, status
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.address_fields import address_view
from kring_contacts.companies import companies
from kring_contacts.companies import logos as company_logos
from kring_contacts.companies.export import HEADER, company_rows
from kring_contacts.companies.models import Company as CompanyRow
from kring_contacts.companies.models import CompanyContact as CompanyContactRow
from kring_contacts.companies.models import CompanyContract as ContractRow
from kring_contacts.companies.models import CompanyLogo as CompanyLogoRow
from kring_contacts.companies.schemas import (
    Company,
    CompanyContactLinkView,
    CompanyContactView,
    CompanyCreate,
    CompanyLink,
    CompanyPatch,
    Contract,
    ContractCreate,
    ContractPatch,
    Logo,
)
from kring_contacts.deps import SettingsDep
from kring_contacts.exports.csv_download import csv_response
from kring_contacts.schemas import linked_contact
from kring_contacts.versioned import VersionedResource
from kring_platform.app import RuntimeDep
from kring_platform.concurrency import (
    ETAG_RESPONSE,
    PRECONDITION_FAILED_RESPONSE,
    IfMatch,
)
from kring_platform.paging import Limit, Offset, Page
from kring_platform.schemas import model_of

router = APIRouter(prefix="/companies", tags=["companies"])

# The website and the app show logos often and they rarely change: caches keep them a day
# and revalidate with the ETag (the content's SHA-256) after that.
LOGO_CACHE_CONTROL = "public, max-age=86400"
# An SVG opened on its own must not load or run anything, whatever slipped through.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def _contract(row: ContractRow) -> Contract:
    return Contract.model_validate(row, from_attributes=True)


async def _profiles(session: AsyncSession, rows: list[CompanyRow]) -> list[Company]:
    ids = [row.id for row in rows]
    linked = await companies.contacts_of(session, ids)
    contracts = await companies.contracts_of(session, ids)
    logos = await companies.logos_of(session, ids)
    return [
        model_of(
            Company,
            row,
            address=address_view(row),
            contacts=[
                linked_contact(CompanyContactView, item.contact, item.link)
                for item in linked.get(row.id, [])
            ],
            contracts=[_contract(contract) for contract in contracts.get(row.id, [])],
            logo=_logo(logos[row.id], f"/companies/{row.id}/logo") if row.id in logos else None,
        )
        for row in rows
    ]


def _logo(logo: companies.LogoInfo | CompanyLogoRow, url: str) -> Logo:
    return model_of(Logo, logo, url=url)


async def _profile(session: AsyncSession, row: CompanyRow) -> Company:
    return (await _profiles(session, [row]))[0]


_COMPANY = VersionedResource(CompanyRow.version, CompanyRow.id, companies.get_company, _profile)


def _link(row: CompanyContactRow) -> CompanyContactLinkView:
    return CompanyContactLinkView.model_validate(row, from_attributes=True)


@router.post("", response_model=Company, status_code=status.HTTP_201_CREATED)
async def create_company(runtime: RuntimeDep, draft: CompanyCreate) -> Company:
    """Adds a company; the VAT number is validated and stored compact; 409 when another
    company has it."""
    async with runtime.unit_of_work() as work:
        company = await companies.create_company(work, draft)
        return await _profile(work.session, company)


@router.get("", response_model=Page[Company])
async def list_companies(
    runtime: RuntimeDep, limit: Limit = 50, offset: Offset = 0
) -> Page[Company]:
    """Every company by name, with its contacts, contracts and logo."""
    async with runtime.database.transaction() as session:
        listing = await companies.list_companies(session, limit=limit, offset=offset)
        items = await _profiles(session, listing.items)
    return Page(items=items, total=listing.total, limit=limit, offset=offset)


@router.get("/export.csv", response_class=StreamingResponse)
async def export_companies(runtime: RuntimeDep) -> StreamingResponse:
    """Every company as CSV, one line per linked contact."""
    return csv_response("companies.csv", HEADER, company_rows(runtime.database))


@router.get("/{company_id}", response_model=Company, responses=ETAG_RESPONSE)
async def get_company(runtime: RuntimeDep, company_id: uuid.UUID, response: Response) -> Company:
    """One company with its contacts, contracts and logo. `ETag` is its version."""
    return await _COMPANY.get(runtime, company_id, response)


@router.patch(
    "/{company_id}",
    response_model=Company,
    responses={**ETAG_RESPONSE, **PRECONDITION_FAILED_RESPONSE},
)
async def update_company(
    runtime: RuntimeDep,
    company_id: uuid.UUID,
    patch: CompanyPatch,
    response: Response,
    if_match: IfMatch = None,
) -> Company:
    """Changes the fields sent (`null` clears one; `address` merges); with `If-Match`, 412
    when the company is no longer at that version."""
    return await _COMPANY.change(
        runtime, company_id, patch, companies.update_company, if_match, response
    )


@router.delete(
    "/{company_id}", status_code=status.HTTP_204_NO_CONTENT, responses=PRECONDITION_FAILED_RESPONSE
)
async def delete_company(
    runtime: RuntimeDep, company_id: uuid.UUID, if_match: IfMatch = None
) -> None:
    """Unlinks its contacts, then deletes the company with its contracts and logo. With
    `If-Match`, 412 when the company is no longer at that version."""
    async with _COMPANY.checked(runtime, company_id, if_match) as work:
        await companies.delete_company(work, company_id)


@router.put(
    "/{company_id}/contacts/{contact_id}",
    response_model=CompanyContactLinkView,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": CompanyContactLinkView, "description": "Already so; no change"}},
)
async def link_contact(
    runtime: RuntimeDep,
    company_id: uuid.UUID,
    contact_id: uuid.UUID,
    link: CompanyLink,
    response: Response,
) -> CompanyContactLinkView:
    """Links the contact with its role: 201 when linked or given a new role, 200 when it
    already was so."""
    async with runtime.unit_of_work() as work:
        row, changed = await companies.link_contact(work, company_id, contact_id, link.role)
        if not changed:
            response.status_code = status.HTTP_200_OK
        return _link(row)


@router.delete("/{company_id}/contacts/{contact_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unlink_contact(runtime: RuntimeDep, company_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    """Takes the contact off the company; 404 when it is not linked."""
    async with runtime.unit_of_work() as work:
        await companies.unlink_contact(work, company_id, contact_id)


@router.post(
    "/{company_id}/contracts", response_model=Contract, status_code=status.HTTP_201_CREATED
)
async def add_contract(
    runtime: RuntimeDep, company_id: uuid.UUID, draft: ContractCreate
) -> Contract:
    """A contract with the company (e.g. a sponsorship): its period, exact amount, status."""
    async with runtime.unit_of_work() as work:
        return _contract(await companies.add_contract(work, company_id, draft))


@router.patch("/{company_id}/contracts/{contract_id}", response_model=Contract)
async def update_contract(
    runtime: RuntimeDep, company_id: uuid.UUID, contract_id: uuid.UUID, patch: ContractPatch
) -> Contract:
    """Changes the fields sent; 422 when the contract would end before it starts."""
    async with runtime.unit_of_work() as work:
        return _contract(await companies.update_contract(work, company_id, contract_id, patch))


@router.delete("/{company_id}/contracts/{contract_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_contract(
    runtime: RuntimeDep, company_id: uuid.UUID, contract_id: uuid.UUID
) -> None:
    async with runtime.unit_of_work() as work:
        await companies.delete_contract(work, company_id, contract_id)


@router.put(
    "/{company_id}/logo",
    response_model=Logo,
    responses={
        413: {"description": "Larger than the setting `LOGO_MAX_BYTES`"},
        415: {"description": "Not a PNG, JPEG, WebP or SVG image"},
    },
)
async def upload_logo(
    runtime: RuntimeDep,
    settings: SettingsDep,
    request: Request,
    company_id: uuid.UUID,
    file: Annotated[UploadFile, File(description="PNG, JPEG, WebP or SVG (without scripts)")],
) -> Logo:
    """Stores the sponsor logo, checked by its content (the declared type is ignored):
    413 when too large, 415 when not an image we serve, 422 when broken or, for an SVG, when
    it holds scripts or links. Nothing is stored when refused."""
    content = await file.read(settings.logo_max_bytes + 1)
    checked = company_logos.check_logo(
        content, max_bytes=settings.logo_max_bytes, max_pixels=settings.logo_max_pixels
    )
    async with runtime.unit_of_work() as work:
        logo = await company_logos.save_logo(work, company_id, checked)
    return _logo(logo, str(request.url_for("get_logo", company_id=company_id).path))


@router.get(
    "/{company_id}/logo",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}, "image/jpeg": {}, "image/webp": {}}},
        304: {"description": "Not modified (If-None-Match matched the ETag)"},
    },
)
async def get_logo(
    runtime: RuntimeDep,
    company_id: uuid.UUID,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The logo with its content type, an ETag and caching headers for the website and app."""
    async with runtime.database.transaction() as session:
        logo = await company_logos.get_logo(session, company_id)
    etag = f'"{logo.sha256}"'
    headers = {
        "ETag": etag,
        "Cache-Control": LOGO_CACHE_CONTROL,
        "X-Content-Type-Options": "nosniff",
    }
    if logo.content_type == company_logos.SVG:
        headers["Content-Security-Policy"] = SVG_POLICY
    if if_none_match is not None and etag in [tag.strip() for tag in if_none_match.split(",")]:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(content=logo.content, media_type=logo.content_type, headers=headers)


@router.delete("/{company_id}/logo", status_code=status.HTTP_204_NO_CONTENT)
async def delete_logo(runtime: RuntimeDep, company_id: uuid.UUID) -> None:
    async with runtime.unit_of_work() as work:
        await company_logos.remove_logo(work, company_id)
