"""Companies: creating, changing and deleting them, linking contacts, and their contracts.

A company has its own sequence (`company.*` events, keyed by the company); a contact's link
is an event of the contact (`company_contact.*`, its sequence, its key), so a consumer sees
it in order with the contact's other changes. Locks: company first, then contact; linking
takes the company's lock shared. Contracts stay in this service (no event).
"""

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Literal, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.address_fields import ADDRESS_FIELDS, apply_address
from kring_contacts.aggregates import lock_contact, record_contact_event, record_with_snapshot
from kring_contacts.companies.models import Company, CompanyContact, CompanyContract, CompanyLogo
from kring_contacts.companies.schemas import (
    CompanyCreate,
    CompanyPatch,
    ContractCreate,
    ContractPatch,
)
from kring_contacts.contact_links import ContactLinks, LinkedContact, Unlinked, new_owner
from kring_contacts.db_models import Contact
from kring_contacts.found import fetched, found_in, locked
from kring_contacts.search.search_text import group_sort_key
from kring_contacts.state import COMPANY_STATE
from kring_contracts.contacts import (
    CompanyContactLinked,
    CompanyContactUnlinked,
    CompanyCreated,
    CompanyDeleted,
    CompanyUpdated,
)
from kring_platform.paging import Listing, fetch_listing
from kring_platform.problems import Conflict, InvalidInput
from kring_platform.unit_of_work import UnitOfWork

_DETAILS = ("name", "vat_number", *ADDRESS_FIELDS, "iban", "notes")
LINKS = ContactLinks(CompanyContact, CompanyContact.company_id, CompanyContact.contact_id)


def _vat_taken(vat_number: str) -> Conflict:
    return Conflict(
        f"A company with VAT number {vat_number} already exists.", vat_number=vat_number
    )


async def _refuse_taken_vat(
    session: AsyncSession, vat_number: str | None, *, other_than: uuid.UUID | None = None
) -> None:
    if vat_number is None:
        return
    query = select(Company.id).where(Company.vat_number == vat_number)
    if other_than is not None:
        query = query.where(Company.id != other_than)
    if await session.scalar(query.limit(1)) is not None:
        raise _vat_taken(vat_number)


async def _flush_vat(session: AsyncSession, vat_number: str | None) -> None:
    # The unique index decides between two writers that both passed the check.
    try:
        await session.flush()
    except IntegrityError:
        raise _vat_taken(vat_number or "") from None


async def lock_company(work: UnitOfWork, company_id: uuid.UUID, *, shared: bool = False) -> Company:
    return await locked(work, Company, company_id, "company", shared=shared)


async def get_company(session: AsyncSession, company_id: uuid.UUID) -> Company:
    return await fetched(session, Company, company_id, "company")


async def create_company(work: UnitOfWork, draft: CompanyCreate) -> Company:
    """A new company; 409 when another has the same VAT number."""
    await _refuse_taken_vat(work.session, draft.vat_number)
    company = new_owner(Company, draft)
    work.session.add(company)
    await _flush_vat(work.session, company.vat_number)
    created = CompanyCreated(
        company_id=company.id, name=company.name, vat_number=company.vat_number
    )
    await record_with_snapshot(work, company, created, COMPANY_STATE)
    return company


async def update_company(work: UnitOfWork, company_id: uuid.UUID, patch: CompanyPatch) -> Company:
    """Applies the fields sent; a patch that changes nothing emits nothing."""
    company = await lock_company(work, company_id)
    before = {name: getattr(company, name) for name in _DETAILS}
    for name, value in patch.model_dump(exclude_unset=True, exclude={"address"}).items():
        setattr(company, name, value)
    if "address" in patch.model_fields_set:
        apply_address(company, patch.address, merge=True)
    changed = [name for name in _DETAILS if getattr(company, name) != before[name]]
    if not changed:
        return company
    if "vat_number" in changed:
        await _refuse_taken_vat(work.session, company.vat_number, other_than=company.id)
    company.sort_key = group_sort_key(company.name)
    company.updated_at = datetime.now(UTC)
    await _flush_vat(work.session, company.vat_number)
    await announce_change(work, company, changed)
    return company


async def announce_change(work: UnitOfWork, company: Company, changed: list[str]) -> None:
    """`company.updated` for a change of the locked company (its details or its logo)."""
    updated = CompanyUpdated(
        company_id=company.id,
        name=company.name,
        vat_number=company.vat_number,
        changed_fields=changed,
    )
    await record_with_snapshot(work, company, updated, COMPANY_STATE)


async def delete_company(work: UnitOfWork, company_id: uuid.UUID) -> None:
    """Unlinks every contact (an event in each one's sequence), then deletes the company with
    its contracts and logo. The contacts stay."""
    company = await lock_company(work, company_id)
    session = work.session
    await LINKS.unlink_all(work, company.id, unlinked(company.id, company.name, "company_deleted"))
    await session.execute(delete(CompanyContract).where(CompanyContract.company_id == company.id))
    await session.execute(delete(CompanyLogo).where(CompanyLogo.company_id == company.id))
    deleted = CompanyDeleted(company_id=company.id, name=company.name)
    await record_with_snapshot(work, company, deleted, COMPANY_STATE)
    await session.delete(company)
    await session.flush()


async def list_companies(session: AsyncSession, *, limit: int, offset: int) -> Listing[Company]:
    query = select(Company).order_by(Company.sort_key, Company.id)
    return await fetch_listing(session, query, limit=limit, offset=offset)


async def link_contact(
    work: UnitOfWork,
    company_id: uuid.UUID,
    contact_id: uuid.UUID,
    role: str,
) -> tuple[CompanyContact, bool]:
    """Links the contact with `role`; returns the link and whether it changed (the same role
    again changes nothing; a new role is linked again with it)."""
    company = await lock_company(work, company_id, shared=True)
    contact = await lock_contact(work, contact_id)
    link = await work.session.get(CompanyContact, (company.id, contact.id), populate_existing=True)
    if link is not None and link.role == role:
        return link, False
    linked = CompanyContactLinked(
        contact_id=contact.id, company_id=company.id, company_name=company.name, role=role
    )
    return await LINKS.put(work, link, company.id, contact, role, linked), True


def unlinked(
    company_id: uuid.UUID,
    company_name: str,
    reason: Literal["removed", "company_deleted", "contact_deleted"],
) -> Unlinked:
    """The `company_contact.unlinked` event of a contact that leaves the company."""
    return lambda contact: CompanyContactUnlinked(
        contact_id=contact.id, company_id=company_id, company_name=company_name, reason=reason
    )


async def unlink_contact(work: UnitOfWork, company_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    """Takes the contact off the company; 404 when it is not linked."""
    company = await lock_company(work, company_id, shared=True)
    left = unlinked(company.id, company.name, "removed")
    missing = f"Contact {contact_id} is not linked to company {company_id}."
    await LINKS.unlink(work, company.id, contact_id, left, missing=missing)


async def unlink_deleted_contact(work: UnitOfWork, contact: Contact) -> None:
    """A contact being deleted (locked by the caller) leaves every company."""
    session = work.session
    removed = (
        (
            await session.execute(
                delete(CompanyContact)
                .where(CompanyContact.contact_id == contact.id)
                .returning(CompanyContact.company_id)
            )
        )
        .scalars()
        .all()
    )
    if not removed:
        return
    rows = await session.execute(select(Company.id, Company.name).where(Company.id.in_(removed)))
    names = {company_id: name for company_id, name in rows}
    for company_id in sorted(removed):
        left = unlinked(company_id, names.get(company_id, ""), "contact_deleted")
        await record_contact_event(work, contact, left(contact))


async def contacts_of(
    session: AsyncSession, company_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[LinkedContact[CompanyContact]]]:
    """The live contacts linked to each company, by name: one query for a page."""
    return await LINKS.linked_contacts(session, company_ids)


async def contracts_of(
    session: AsyncSession, company_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[CompanyContract]]:
    rows = await session.scalars(
        select(CompanyContract)
        .where(CompanyContract.company_id.in_(company_ids))
        .order_by(CompanyContract.company_id, CompanyContract.start_date, CompanyContract.id)
    )
    contracts: dict[uuid.UUID, list[CompanyContract]] = defaultdict(list)
    for contract in rows:
        contracts[contract.company_id].append(contract)
    return contracts


class LogoInfo(NamedTuple):
    """What a company's profile shows of its logo (not its bytes)."""

    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


async def logos_of(
    session: AsyncSession, company_ids: list[uuid.UUID]
) -> dict[uuid.UUID, LogoInfo]:
    rows = await session.execute(
        select(
            CompanyLogo.company_id,
            CompanyLogo.content_type,
            CompanyLogo.size,
            CompanyLogo.sha256,
            CompanyLogo.uploaded_at,
        ).where(CompanyLogo.company_id.in_(company_ids))
    )
    return {
        company_id: LogoInfo(content_type, size, sha256, uploaded_at)
        for company_id, content_type, size, sha256, uploaded_at in rows
    }


async def add_contract(
    work: UnitOfWork, company_id: uuid.UUID, draft: ContractCreate
) -> CompanyContract:
    company = await lock_company(work, company_id, shared=True)
    now = datetime.now(UTC)
    contract = CompanyContract(
        id=uuid.uuid4(),
        company_id=company.id,
        **draft.model_dump(),
        created_at=now,
        updated_at=now,
    )
    work.session.add(contract)
    await work.session.flush()
    return contract


async def _lock_contract(
    work: UnitOfWork, company_id: uuid.UUID, contract_id: uuid.UUID
) -> CompanyContract:
    contract = await work.lock(
        CompanyContract,
        CompanyContract.id == contract_id,
        CompanyContract.company_id == company_id,
    )
    return found_in(contract, "company", company_id, "contract", contract_id)


async def update_contract(
    work: UnitOfWork, company_id: uuid.UUID, contract_id: uuid.UUID, patch: ContractPatch
) -> CompanyContract:
    await lock_company(work, company_id, shared=True)
    contract = await _lock_contract(work, company_id, contract_id)
    for name, value in patch.model_dump(exclude_unset=True).items():
        setattr(contract, name, value)
    if contract.end_date is not None and contract.end_date < contract.start_date:
        raise InvalidInput(
            "The contract would end before it starts.",
            start_date=contract.start_date.isoformat(),
            end_date=contract.end_date.isoformat(),
        )
    contract.updated_at = datetime.now(UTC)
    await work.session.flush()
    return contract


async def delete_contract(work: UnitOfWork, company_id: uuid.UUID, contract_id: uuid.UUID) -> None:
    await lock_company(work, company_id, shared=True)
    await work.session.delete(await _lock_contract(work, company_id, contract_id))
    await work.session.flush()
