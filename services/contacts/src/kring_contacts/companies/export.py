"""Companies as CSV: one line per linked contact (a company without any: one line), with
its contracts summed up, read in one transaction so the file is one consistent snapshot."""

from collections.abc import AsyncIterator, Sequence

from sqlalchemy import func, select

from kring_contacts.address_fields import ADDRESS_FIELDS
from kring_contacts.companies.models import Company, CompanyContact, CompanyContract
from kring_contacts.db_models import Contact
from kring_contacts.exports.csv_download import (
    LINKED_CONTACT_HEADER,
    address_cells,
    linked_contact_cells,
)
from kring_platform.db import Database

HEADER = (
    "company_id",
    "name",
    "vat_number",
    *ADDRESS_FIELDS,
    "iban",
    "contracts",
    *LINKED_CONTACT_HEADER,
)


async def company_rows(database: Database) -> AsyncIterator[Sequence[object]]:
    contracts = (
        select(CompanyContract.company_id, func.count().label("count"))
        .group_by(CompanyContract.company_id)
        .subquery()
    )
    query = (
        select(Company, contracts.c.count, CompanyContact.role, Contact)
        .outerjoin(contracts, contracts.c.company_id == Company.id)
        .outerjoin(CompanyContact, CompanyContact.company_id == Company.id)
        .outerjoin(
            Contact, (Contact.id == CompanyContact.contact_id) & Contact.deleted_at.is_(None)
        )
        .order_by(Company.sort_key, Company.id, Contact.sort_key, Contact.id)
        .execution_options(yield_per=500)
    )
    async with database.transaction() as session:
        result = await session.stream(query)
        async for company, contract_count, role, contact in result:
            if role is not None and contact is None:
                continue  # a deleted contact's link
            yield (
                company.id,
                company.name,
                company.vat_number,
                *address_cells(company),
                company.iban,
                contract_count or 0,
                *linked_contact_cells(contact, role),
            )
