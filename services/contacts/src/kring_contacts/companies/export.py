"""Companies as CSV: one line per linked contact (a company without any: one line), with
its contracts summed up, read in one transaction so the file is one consistent snapshot."""

from collections.abc import AsyncIterator, Sequence

from sqlalchemy import func, select

from kring_contacts.companies.models import Company, CompanyContact, CompanyContract
from kring_contacts.db_models import Contact
from kring_platform.db import Database

HEADER = (
    "company_id",
    "name",
    "vat_number",
    "street",
    "number",
    "postcode",
    "city",
    "country",
    "iban",
    "contracts",
    "contact_id",
    "first_name",
    "last_name",
    "role",
    "emails",
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
                company.street,
                company.number,
                company.postcode,
                company.city,
                company.country,
                company.iban,
                contract_count or 0,
                contact.id if contact else None,
                contact.first_name if contact else None,
                contact.last_name if contact else None,
                role,
                " ".join(contact.emails) if contact else None,
            )
