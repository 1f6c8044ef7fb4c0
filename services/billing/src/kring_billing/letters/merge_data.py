"""The merge data of letters: for each contact, the values of `catalogue.MERGE_FIELDS`, read
from billing's own database (its read model of contacts, families and memberships, its
invoices and payments) in a few set-based queries per batch of contacts — never from
another service at render time."""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kring_billing.db_models import (
    Contact,
    FeeVersion,
    Invoice,
    InvoiceLine,
    Membership,
    MembershipType,
    Payment,
)
from kring_billing.invoices.contact_snapshot import billing_name
from kring_billing.invoices.invoices import open_amount
from kring_billing.letters.models import Family, FamilyMember
from kring_billing.money import ZERO
from kring_billing.organisation.organisation import OrganisationSettings

MergeContext = dict[str, Any]


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def _address(
    street: str | None,
    number: str | None,
    postcode: str | None,
    city: str | None,
    country: str | None,
) -> dict[str, Any]:
    street_line = " ".join(part for part in (street, number) if part)
    place_line = " ".join(part for part in (postcode, city) if part)
    return {
        "street": street,
        "number": number,
        "postcode": postcode,
        "city": city,
        "country": country,
        "address_lines": [line for line in (street_line, place_line, country) if line],
    }


def organisation_fields(organisation: OrganisationSettings) -> dict[str, Any]:
    return {
        "name": organisation.organisation_name,
        "address_lines": list(organisation.organisation_address),
        "vat_number": organisation.organisation_vat_number,
        "iban": organisation.organisation_iban,
        "bic": organisation.organisation_bic,
    }


def _contact_fields(contact: Contact) -> dict[str, Any]:
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "full_name": billing_name(contact),
        "email": contact.email,
        "phone": contact.phone,
        "birth_date": contact.birth_date,
        **_address(contact.street, contact.number, contact.postcode, contact.city, contact.country),
    }


_NO_FAMILY: dict[str, Any] = {"name": None, "role": None, **_address(None, None, None, None, None)}
_NO_MEMBERSHIP: dict[str, Any] = {
    "type_name": None,
    "start_date": None,
    "end_date": None,
    "fee": None,
    "currency": None,
}


async def _families(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    rows = await session.execute(
        select(FamilyMember.contact_id, FamilyMember.role, Family)
        .join(Family, Family.id == FamilyMember.family_id)
        .where(FamilyMember.contact_id.in_(ids), Family.deleted.is_(False))
    )
    return {
        contact_id: {
            "name": family.name,
            "role": role,
            **_address(family.street, family.number, family.postcode, family.city, family.country),
        }
        for contact_id, role, family in rows
    }


def _fee_on(fees: list[FeeVersion], day: date) -> FeeVersion | None:
    valid = [fee for fee in fees if fee.valid_from <= day]
    return max(valid, key=lambda fee: fee.valid_from) if valid else None


async def _memberships(
    session: AsyncSession, ids: list[uuid.UUID], period: Period
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    rows = (
        await session.execute(
            select(Membership, MembershipType.name)
            .join(MembershipType, MembershipType.id == Membership.type_id)
            .where(
                Membership.contact_id.in_(ids),
                Membership.deleted.is_(False),
                Membership.start_date <= period.end,
                or_(Membership.end_date.is_(None), Membership.end_date >= period.start),
            )
            .order_by(Membership.start_date)
        )
    ).all()
    type_ids = {membership.type_id for membership, _ in rows}
    fees: dict[uuid.UUID, list[FeeVersion]] = defaultdict(list)
    if type_ids:
        for version in await session.scalars(
            select(FeeVersion).where(FeeVersion.type_id.in_(type_ids))
        ):
            fees[version.type_id].append(version)
    found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for membership, type_name in rows:
        fee = _fee_on(fees[membership.type_id], max(membership.start_date, period.start))
        found[membership.contact_id].append(
            {
                "type_name": type_name,
                "start_date": membership.start_date,
                "end_date": membership.end_date,
                "fee": fee.amount if fee else None,
                "currency": fee.currency if fee else None,
            }
        )
    return found


async def _invoices_paid(
    session: AsyncSession, ids: list[uuid.UUID], period: Period
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Invoices with payments (not reversed) in the period, and what was paid of each in it."""
    first_line = (
        select(InvoiceLine.description)
        .where(InvoiceLine.invoice_id == Invoice.id)
        .order_by(InvoiceLine.position)
        .limit(1)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            Invoice,
            first_line,
            func.sum(Payment.amount).label("amount_paid"),
            func.max(Payment.paid_on).label("paid_on"),
        )
        .join(Payment, Payment.invoice_id == Invoice.id)
        .where(
            Invoice.contact_id.in_(ids),
            Invoice.kind == "invoice",
            and_(Payment.paid_on >= period.start, Payment.paid_on <= period.end),
            Payment.reversed_on.is_(None),
        )
        .group_by(Invoice.id)
        .order_by(func.max(Payment.paid_on), Invoice.number)
    )
    found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for invoice, description, amount_paid, paid_on in rows:
        found[invoice.contact_id].append(
            {
                "number": invoice.number,
                "description": description,
                "issue_date": invoice.issue_date,
                "period_start": invoice.period_start,
                "period_end": invoice.period_end,
                "total": invoice.total,
                "amount_paid": amount_paid,
                "paid_on": paid_on,
                "currency": invoice.currency,
            }
        )
    return found


async def _open_invoices(
    session: AsyncSession, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    invoices = await session.scalars(
        select(Invoice)
        .where(
            Invoice.contact_id.in_(ids),
            Invoice.kind == "invoice",
            Invoice.status.in_(("issued", "partly_paid")),
        )
        .order_by(Invoice.due_date, Invoice.number)
    )
    found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for invoice in invoices:
        found[invoice.contact_id].append(
            {
                "number": invoice.number,
                "issue_date": invoice.issue_date,
                "due_date": invoice.due_date,
                "total": invoice.total,
                "open_amount": open_amount(invoice),
                "currency": invoice.currency,
            }
        )
    return found


def _total(items: list[dict[str, Any]], key: str) -> Decimal:
    return sum((item[key] for item in items), ZERO)


async def merge_contexts(
    session: AsyncSession,
    contact_ids: list[uuid.UUID],
    period: Period,
    today: date,
    organisation: OrganisationSettings,
) -> dict[uuid.UUID, MergeContext]:
    """Each known contact's merge data (unknown, deleted or erased contacts are left out)."""
    contacts = await session.scalars(
        select(Contact).where(
            Contact.id.in_(contact_ids),
            Contact.known.is_(True),
            Contact.deleted.is_(False),
            Contact.erased.is_(False),
        )
    )
    ids = list(contact_ids)
    families = await _families(session, ids)
    memberships = await _memberships(session, ids, period)
    paid = await _invoices_paid(session, ids, period)
    open_items = await _open_invoices(session, ids)
    shared = {
        "organisation": organisation_fields(organisation),
        "period": {"start": period.start, "end": period.end, "year": period.start.year},
        "today": today,
    }
    contexts: dict[uuid.UUID, MergeContext] = {}
    for contact in contacts:
        held = memberships.get(contact.id, [])
        contexts[contact.id] = {
            **shared,
            "contact": _contact_fields(contact),
            "family": families.get(contact.id, _NO_FAMILY),
            "membership": held[-1] if held else _NO_MEMBERSHIP,
            "memberships": held,
            "invoices_paid": paid.get(contact.id, []),
            "paid_total": _total(paid.get(contact.id, []), "amount_paid"),
            "open_invoices": open_items.get(contact.id, []),
            "open_total": _total(open_items.get(contact.id, []), "open_amount"),
        }
    return contexts


def sample_context(organisation: OrganisationSettings, period: Period, today: date) -> MergeContext:
    """Made-up merge data for previewing a template without choosing a contact."""
    membership = {
        "type_name": "Senior",
        "start_date": period.start,
        "end_date": None,
        "fee": Decimal("120.00"),
        "currency": "EUR",
    }
    invoice = {
        "number": f"{period.start.year}-000001",
        "description": "Lidgeld",
        "issue_date": period.start,
        "period_start": period.start,
        "period_end": period.end,
        "total": Decimal("120.00"),
        "amount_paid": Decimal("120.00"),
        "paid_on": period.start,
        "currency": "EUR",
    }
    open_invoice = {
        "number": f"{period.start.year}-000002",
        "issue_date": period.start,
        "due_date": period.start,
        "total": Decimal("35.00"),
        "open_amount": Decimal("35.00"),
        "currency": "EUR",
    }
    return {
        "organisation": organisation_fields(organisation),
        "period": {"start": period.start, "end": period.end, "year": period.start.year},
        "today": today,
        "contact": {
            "first_name": "Ann",
            "last_name": "Peeters",
            "full_name": "Ann Peeters",
            "email": "ann@example.org",
            "phone": "+32 465 31 72 90",
            "birth_date": date(1990, 5, 17),
            **_address("Kerkstraat", "12", "9000", "Gent", "België"),
        },
        "family": {
            "name": "Peeters",
            "role": "parent",
            **_address("Kerkstraat", "12", "9000", "Gent", "België"),
        },
        "membership": membership,
        "memberships": [membership],
        "invoices_paid": [invoice],
        "paid_total": Decimal("120.00"),
        "open_invoices": [open_invoice],
        "open_total": Decimal("35.00"),
    }
