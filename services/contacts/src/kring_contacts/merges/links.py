"""A merge moves the duplicate's family and company links to the survivor, each with its
events (`unlinked` on the duplicate, `linked` on the survivor), like its groups.

The survivor keeps its own family when it has one (a contact is in one family at a time);
a company both were linked to keeps the survivor's role.
"""

import uuid

from sqlalchemy import delete, select

from kring_contacts.aggregates import record_contact_event
from kring_contacts.companies import companies
from kring_contacts.companies.models import Company, CompanyContact
from kring_contacts.db_models import Contact
from kring_contacts.families import families
from kring_contacts.families.models import FamilyMember
from kring_contracts.contacts import (
    CompanyContactLinked,
    FamilyMemberLinked,
)
from kring_platform.unit_of_work import UnitOfWork


async def lock_links(work: UnitOfWork, duplicate_id: uuid.UUID) -> None:
    """Share-locks the duplicate's family and companies: the service takes those locks
    before any contact's, so a merge must too."""
    session = work.session
    family_id = await session.scalar(
        select(FamilyMember.family_id).where(FamilyMember.contact_id == duplicate_id)
    )
    if family_id is not None:
        await families.lock_family(work, family_id, shared=True)
    company_ids = await session.scalars(
        select(CompanyContact.company_id)
        .where(CompanyContact.contact_id == duplicate_id)
        .order_by(CompanyContact.company_id)
    )
    for company_id in company_ids.all():
        await companies.lock_company(work, company_id, shared=True)


async def move_family_link(work: UnitOfWork, survivor: Contact, duplicate: Contact) -> None:
    session = work.session
    removed = (
        await session.execute(
            delete(FamilyMember)
            .where(FamilyMember.contact_id == duplicate.id)
            .returning(FamilyMember.family_id, FamilyMember.role)
        )
    ).first()
    if removed is None:
        return
    family_id, role = removed
    left = families.unlinked(family_id, "removed")
    await record_contact_event(work, duplicate, left(duplicate))
    if await session.get(FamilyMember, survivor.id) is not None:
        return
    linked = FamilyMemberLinked(contact_id=survivor.id, family_id=family_id, role=role)
    await families.MEMBERS.put(work, None, family_id, survivor, role, linked)


async def move_company_links(work: UnitOfWork, survivor: Contact, duplicate: Contact) -> None:
    session = work.session
    links = (
        await session.execute(
            select(CompanyContact.company_id, CompanyContact.role, Company.name)
            .join(Company, Company.id == CompanyContact.company_id)
            .where(CompanyContact.contact_id == duplicate.id)
            .order_by(CompanyContact.company_id)
        )
    ).all()
    survivor_companies = set(
        await session.scalars(
            select(CompanyContact.company_id).where(CompanyContact.contact_id == survivor.id)
        )
    )
    for company_id, role, company_name in links:
        await session.execute(
            delete(CompanyContact).where(
                CompanyContact.company_id == company_id,
                CompanyContact.contact_id == duplicate.id,
            )
        )
        left = companies.unlinked(company_id, company_name, "removed")
        await record_contact_event(work, duplicate, left(duplicate))
        if company_id in survivor_companies:
            continue
        linked = CompanyContactLinked(
            contact_id=survivor.id, company_id=company_id, company_name=company_name, role=role
        )
        await companies.LINKS.put(work, None, company_id, survivor, role, linked)
