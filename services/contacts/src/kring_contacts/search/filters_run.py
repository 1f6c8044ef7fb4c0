"""Running an advanced search: its page by keyset (a cursor, never an offset, so the next page
costs what the first did at any depth), its contact ids, and its rows in the chosen columns.

The cursor is the sort values and id of a page's last contact, as URL-safe base64 JSON; it
names the sort it was made for, so a cursor sent with another sort is refused.
"""

import base64
import binascii
import json
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, any_, bindparam, func, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.types import Uuid

from kring_contacts.db_models import Contact, Group, GroupMember
from kring_contacts.memberships.status import membership_summaries
from kring_contacts.phones import default_region, display_phone
from kring_contacts.search.filters import ColumnName, ContactQuery, SortField, SortKey
from kring_contacts.search.filters_sql import QueryContext, condition_sql, years_before
from kring_platform.db import Database
from kring_platform.problems import InvalidInput

# psycopg prepares a statement run five times, and Postgres may then plan it once for any
# parameters: a plan for "some array of ids" or "some pattern" instead of these, which at a
# million contacts picked a scan (seconds) over an index (milliseconds). Each query of a
# transaction that says this is planned for its own values.
CUSTOM_PLANS = "SET LOCAL plan_cache_mode = force_custom_plan"

# Contacts without a value sort after all others (ascending): each sort expression is
# never null, which keeps the keyset comparison a plain one.
_LAST_DATE = date(9999, 12, 31)
_LAST_TEXT = "\uffff"


SortExpression = ColumnElement[Any] | InstrumentedAttribute[Any]


def _sort_expression(field: SortField) -> SortExpression:
    match field:
        case "name":
            return Contact.sort_key
        case "first_name":
            return Contact.first_name
        case "birth_date":
            return func.coalesce(Contact.birth_date, _LAST_DATE)
        case "postcode":
            return func.coalesce(Contact.postcode, _LAST_TEXT)
        case "city":
            return func.coalesce(Contact.city, _LAST_TEXT)
        case "created_at":
            return Contact.created_at
        case "updated_at":
            return Contact.updated_at


def _sort_value(field: SortField, contact: Contact) -> str:
    """The contact's value of the sort expression, as the cursor carries it."""
    match field:
        case "name":
            return contact.sort_key
        case "first_name":
            return contact.first_name
        case "birth_date":
            return (contact.birth_date or _LAST_DATE).isoformat()
        case "postcode":
            return contact.postcode if contact.postcode is not None else _LAST_TEXT
        case "city":
            return contact.city if contact.city is not None else _LAST_TEXT
        case "created_at":
            return contact.created_at.isoformat()
        case "updated_at":
            return contact.updated_at.isoformat()


def _parse_sort_value(field: SortField, value: object) -> object:
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError("not a string")
    if field == "birth_date":
        return date.fromisoformat(value)
    if field in ("created_at", "updated_at"):
        return datetime.fromisoformat(value)
    return value


@dataclass(frozen=True)
class Cursor:
    values: list[object]
    last_id: uuid.UUID


def encode_cursor(sort: Sequence[SortKey], contact: Contact) -> str:
    body = {
        "sort": [f"{key.field}:{key.direction}" for key in sort],
        "values": [_sort_value(key.field, contact) for key in sort],
        "id": str(contact.id),
    }
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")


def decode_cursor(sort: Sequence[SortKey], cursor: str) -> Cursor:
    """The cursor's position; 422 when it is not one of ours or was made for another sort."""
    try:
        body = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if body["sort"] != [f"{key.field}:{key.direction}" for key in sort]:
            raise InvalidInput("The cursor belongs to another sort order.", field="cursor")
        values = [
            _parse_sort_value(key.field, value)
            for key, value in zip(sort, body["values"], strict=True)
        ]
        return Cursor(values=values, last_id=uuid.UUID(body["id"]))
    except InvalidInput:
        raise
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError):
        raise InvalidInput("The cursor is not valid.", field="cursor") from None


def _after(sort: Sequence[SortKey], cursor: Cursor) -> ColumnElement[bool]:
    """Rows after the cursor in the sort order (then by id): for keys k1..kn, the rows where
    k1..k(i-1) equal the cursor's and ki lies beyond it, for some i."""
    keys: list[tuple[SortExpression, object, bool]] = [
        (_sort_expression(key.field), value, key.direction == "desc")
        for key, value in zip(sort, cursor.values, strict=True)
    ]
    keys.append((Contact.id, cursor.last_id, False))
    alternatives = []
    for index, (expression, value, descending) in enumerate(keys):
        equal_before = [earlier == earlier_value for earlier, earlier_value, _ in keys[:index]]
        beyond = expression < value if descending else expression > value
        alternatives.append(and_(*equal_before, beyond))
    return or_(*alternatives)


def _order(query: ContactQuery) -> list[ColumnElement[Any]]:
    return [
        _sort_expression(key.field).desc()
        if key.direction == "desc"
        else _sort_expression(key.field).asc()
        for key in query.sort
    ]


def matching(query: ContactQuery, context: QueryContext) -> Select[Contact]:
    """The live contacts the query's filter keeps, in its order (no page yet)."""
    return (
        select(Contact)
        .where(Contact.deleted_at.is_(None), condition_sql(query.filter, context))
        .order_by(*_order(query), Contact.id)
    )


def matching_ids(query: ContactQuery, context: QueryContext) -> Select[uuid.UUID]:
    """`matching`, ids only: what a page is chosen by. Sorting thousands of matches costs
    little on ids and a lot on whole rows (they spill to disk), so the rows of a page are
    read afterwards, by id."""
    return (
        select(Contact.id)
        .where(Contact.deleted_at.is_(None), condition_sql(query.filter, context))
        .order_by(*_order(query), Contact.id)
    )


@dataclass(frozen=True)
class ContactsPage:
    contacts: list[Contact]
    next_cursor: str | None


async def fetch_page(
    session: AsyncSession,
    query: ContactQuery,
    context: QueryContext,
    *,
    cursor: str | None,
    limit: int,
) -> ContactsPage:
    await session.execute(text(CUSTOM_PLANS))
    statement = matching_ids(query, context)
    if cursor is not None:
        statement = statement.where(_after(query.sort, decode_cursor(query.sort, cursor)))
    ids = list((await session.scalars(statement.limit(limit + 1))).all())
    more = len(ids) > limit
    ids = ids[:limit]
    by_id = {
        contact.id: contact
        for contact in await session.scalars(
            select(Contact).where(Contact.id == any_(bindparam("ids", ids, ARRAY(Uuid()))))
        )
    }
    contacts = [by_id[contact_id] for contact_id in ids if contact_id in by_id]
    next_cursor = encode_cursor(query.sort, contacts[-1]) if more and contacts else None
    return ContactsPage(contacts=contacts, next_cursor=next_cursor)


async def count_matches(session: AsyncSession, query: ContactQuery, context: QueryContext) -> int:
    counted = select(func.count()).select_from(matching(query, context).order_by(None).subquery())
    return (await session.scalar(counted)) or 0


async def iterate_pages(
    database: Database, query: ContactQuery, context: QueryContext, *, chunk: int
) -> AsyncIterator[list[Contact]]:
    """Every matching contact, `chunk` at a time, each chunk read in a transaction of its
    own (an export or a batch never holds one transaction open for a whole result list)."""
    cursor: str | None = None
    while True:
        async with database.transaction() as session:
            page = await fetch_page(session, query, context, cursor=cursor, limit=chunk)
        if page.contacts:
            yield page.contacts
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


# --- the chosen columns ----------------------------------------------------------------------


def _age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    years = day.year - birth_date.year
    return years if years_before(day, years) >= birth_date else years - 1


async def _group_names(
    session: AsyncSession, contact_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    names: dict[uuid.UUID, list[str]] = defaultdict(list)
    rows = await session.execute(
        select(GroupMember.contact_id, Group.name)
        .join(Group, Group.id == GroupMember.group_id)
        .where(
            GroupMember.contact_id == any_(bindparam("ids", contact_ids, ARRAY(Uuid()))),
            Group.deleted_at.is_(None),
        )
        .order_by(Group.sort_key, Group.id)
    )
    for contact_id, name in rows:
        names[contact_id].append(name)
    return names


async def contact_rows(
    session: AsyncSession, contacts: Sequence[Contact], columns: Sequence[ColumnName], day: date
) -> list[dict[str, Any]]:
    """Each contact as a row of the chosen columns, in their order; the membership columns
    are about `day`, read for the whole page in one query, as are the groups."""
    ids = [contact.id for contact in contacts]
    wants_membership = {"membership_status", "membership_types"} & set(columns)
    summaries = await membership_summaries(session, ids, day) if wants_membership else {}
    groups = await _group_names(session, ids) if "groups" in columns and ids else {}
    rows = []
    for contact in contacts:
        row: dict[str, Any] = {}
        for column in columns:
            match column:
                case "emails":
                    row[column] = list(contact.emails)
                case "age":
                    row[column] = _age_on(contact.birth_date, day)
                case "membership_status":
                    row[column] = summaries[contact.id].status
                case "membership_types":
                    row[column] = [ref.name for ref in summaries[contact.id].types]
                case "groups":
                    row[column] = groups.get(contact.id, [])
                case "phone":
                    # Rows are read and exported: the national form, not E.164 ("+32…"
                    # would start a spreadsheet formula).
                    row[column] = display_phone(contact.phone, default_region())
                case _:
                    row[column] = getattr(contact, column)
        rows.append(row)
    return rows
