"""Compiles an advanced search's conditions to SQLAlchemy Core: every value a bound
parameter, every `LIKE` pattern with its wildcards escaped.

Case is ignored (`ILIKE`, `lower(...) =`). Where a condition on a name, street, city, e-mail,
phone or IBAN implies that the contact's folded `search_text` contains the folded value, that
is added as well: logically redundant, but it lets the trigram index pick the candidates
instead of a scan of every contact.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.types import String, Uuid

from kring_contacts import phones
from kring_contacts.companies.models import CompanyContact
from kring_contacts.db_models import Contact, GroupMember, Membership
from kring_contacts.families.models import FamilyMember
from kring_contacts.memberships.status import active_on
from kring_contacts.search.filters import (
    AgeCondition,
    AllOf,
    AnyOf,
    CompanyCondition,
    Condition,
    DateCondition,
    FamilyCondition,
    GroupCondition,
    MembershipCondition,
    Not,
    TextCondition,
)
from kring_contacts.search.search_text import MIN_FRAGMENT, fold, like_pattern

TextColumn = sa.ColumnElement[str | None] | InstrumentedAttribute[str | None]


@dataclass(frozen=True)
class QueryContext:
    day: date
    """The query's day: membership conditions and ages without their own `on`."""
    zone: ZoneInfo
    """Whose calendar days `created_at` and `updated_at` ranges are in."""


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _plain_text(column: TextColumn, op: str, value: str) -> sa.ColumnElement[bool]:
    if op == "contains":
        return column.ilike(f"%{_escape(value)}%", escape="\\")
    if op == "starts_with":
        return column.ilike(f"{_escape(value)}%", escape="\\")
    return sa.func.lower(column) == value.lower()


def _prefilter(condition: TextCondition) -> sa.ColumnElement[bool] | None:
    """`search_text LIKE '%folded value%'` where the condition implies it, else None."""
    assert condition.value is not None
    if condition.field in ("first_name", "last_name", "street", "city"):
        # search_text keeps words with digits as digits only ("12-14" -> "1214"), so only a
        # value without digits is sure to appear as typed.
        folded = fold(condition.value)
        if any(ch.isdigit() for ch in folded):
            return None
    elif condition.field == "email":
        folded = fold(condition.value)
    elif condition.field == "iban":
        folded = fold(condition.value).replace(" ", "")
    elif condition.field == "phone":
        # The search text holds the E.164 digits, which every form looked for is part of.
        forms = phones.filter_digits(condition.value, phones.default_region())
        if not forms or any(len(form) < MIN_FRAGMENT for form in forms):
            return None
        return sa.or_(
            *(Contact.search_text.like(like_pattern(form), escape="\\") for form in forms)
        )
    else:
        return None
    if len(folded) < MIN_FRAGMENT:
        return None  # too short for the trigram index to help
    return Contact.search_text.like(like_pattern(folded), escape="\\")


def _emails_condition(op: str, value: str) -> sa.ColumnElement[bool]:
    value = value.lower()
    if any(ch.isspace() for ch in value):
        return sa.false()  # no e-mail holds a space
    if op == "equals":
        return Contact.emails.contains(sa.literal([value], ARRAY(String())))
    # E-mails hold no spaces: in the list joined by spaces, with one in front, a match
    # within one e-mail is a match of the joined text and nothing else is.
    joined = " " + sa.func.array_to_string(Contact.emails, " ")
    pattern = f"% {_escape(value)}%" if op == "starts_with" else f"%{_escape(value)}%"
    return joined.like(pattern, escape="\\")


def _phone_matches(op: str, value: str) -> sa.ColumnElement[bool]:
    """The phone's digits (E.164 once stored) against every form of the value typed."""
    forms = phones.filter_digits(value, phones.default_region())
    if not forms:
        return sa.false()
    phone_digits = sa.func.regexp_replace(Contact.phone, "[^0-9]", "", "g")
    if op == "equals":
        return phone_digits.in_(forms)
    start = "" if op == "starts_with" else "%"
    return sa.or_(*(phone_digits.like(f"{start}{form}%") for form in forms))


def _text(condition: TextCondition) -> sa.ColumnElement[bool]:
    field, op = condition.field, condition.op
    if op in ("empty", "not_empty"):
        if field == "email":
            empty = sa.func.cardinality(Contact.emails) == 0
        else:
            column = getattr(Contact, field)
            empty = sa.or_(column.is_(None), column == "")
        return empty if op == "empty" else sa.not_(empty)

    assert condition.value is not None
    value = condition.value
    matched: sa.ColumnElement[bool]
    if field == "email":
        matched = _emails_condition(op, value)
    elif field == "phone":
        matched = _phone_matches(op, value)
    elif field == "iban":
        matched = _plain_text(Contact.iban, op, "".join(value.split()))
    else:
        matched = _plain_text(getattr(Contact, field), op, value)
    prefilter = _prefilter(condition)
    return matched if prefilter is None else sa.and_(prefilter, matched)


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def _date(condition: DateCondition, context: QueryContext) -> sa.ColumnElement[bool]:
    column: InstrumentedAttribute[object] = getattr(Contact, condition.field)
    if condition.op != "in_range":
        return column.is_(None) if condition.op == "empty" else column.isnot(None)
    bounds: list[sa.ColumnElement[bool]] = []
    if condition.field == "birth_date":
        if condition.after:
            bounds.append(column >= condition.after)
        if condition.before:
            bounds.append(column <= condition.before)
    else:
        if condition.after:
            bounds.append(column >= _start_of(condition.after, context.zone))
        if condition.before:
            next_day = condition.before + timedelta(days=1)
            bounds.append(column < _start_of(next_day, context.zone))
    return sa.and_(*bounds)


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February for a 29th in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _age(condition: AgeCondition, context: QueryContext) -> sa.ColumnElement[bool]:
    day = condition.on or context.day
    bounds: list[sa.ColumnElement[bool]] = []
    if condition.min is not None:  # had their min-th birthday by `day`
        bounds.append(Contact.birth_date <= years_before(day, condition.min))
    if condition.max is not None:  # not yet their (max+1)-th birthday
        bounds.append(Contact.birth_date > years_before(day, condition.max + 1))
    return sa.and_(*bounds)


def _id_in(
    column: InstrumentedAttribute[uuid.UUID], ids: list[uuid.UUID]
) -> sa.ColumnElement[bool]:
    """`column = :id` for one id (what the planner estimates best), else `= ANY(:ids)`: one
    array parameter, whatever the number of ids."""
    if len(ids) == 1:
        return column == ids[0]
    return column == sa.any_(sa.bindparam(column.key, ids, ARRAY(Uuid()), unique=True))


def _group(condition: GroupCondition) -> sa.ColumnElement[bool]:
    in_groups = sa.exists(
        sa.select(GroupMember.contact_id).where(
            GroupMember.contact_id == Contact.id,
            _id_in(GroupMember.group_id, condition.group_ids),
        )
    )
    return in_groups if condition.op == "in" else sa.not_(in_groups)


def _membership(condition: MembershipCondition, context: QueryContext) -> sa.ColumnElement[bool]:
    memberships = sa.select(Membership.id).where(
        Membership.contact_id == Contact.id, active_on(condition.on or context.day)
    )
    if condition.type_ids:
        memberships = memberships.where(_id_in(Membership.type_id, condition.type_ids))
    found = sa.exists(memberships)
    return found if condition.status == "member" else sa.not_(found)


def _family(condition: FamilyCondition) -> sa.ColumnElement[bool]:
    links = sa.select(FamilyMember.contact_id).where(FamilyMember.contact_id == Contact.id)
    if condition.family_ids:
        links = links.where(_id_in(FamilyMember.family_id, condition.family_ids))
    return sa.exists(links) if condition.linked else sa.not_(sa.exists(links))


def _company(condition: CompanyCondition) -> sa.ColumnElement[bool]:
    links = sa.select(CompanyContact.contact_id).where(CompanyContact.contact_id == Contact.id)
    if condition.company_ids:
        links = links.where(_id_in(CompanyContact.company_id, condition.company_ids))
    return sa.exists(links) if condition.linked else sa.not_(sa.exists(links))


def may_be_unknown(condition: Condition) -> bool:
    """Whether the condition's SQL can be NULL for a contact (a comparison with a missing
    value); EXISTS and IS NULL never are."""
    match condition:
        case TextCondition():
            return condition.op not in ("empty", "not_empty") and condition.field != "email"
        case DateCondition():
            return condition.op == "in_range"
        case AgeCondition():
            return True
        case AllOf() | AnyOf():
            return any(may_be_unknown(child) for child in condition.conditions)
        case Not():
            return False  # made two-valued by `condition_sql`
    return False  # group, membership, family, company: EXISTS


def condition_sql(condition: Condition | None, context: QueryContext) -> sa.ColumnElement[bool]:
    """The condition on `Contact` rows (live ones are the caller's concern)."""
    match condition:
        case None:
            return sa.true()
        case TextCondition():
            return _text(condition)
        case DateCondition():
            return _date(condition, context)
        case AgeCondition():
            return _age(condition, context)
        case GroupCondition():
            return _group(condition)
        case MembershipCondition():
            return _membership(condition, context)
        case FamilyCondition():
            return _family(condition)
        case CompanyCondition():
            return _company(condition)
        case AllOf():
            return sa.and_(*(condition_sql(child, context) for child in condition.conditions))
        case AnyOf():
            return sa.or_(*(condition_sql(child, context) for child in condition.conditions))
        case Not():
            inner = condition_sql(condition.condition, context)
            if not may_be_unknown(condition.condition):
                return sa.not_(inner)  # lets the planner turn NOT EXISTS into an anti-join
            # SQL's NOT of unknown (a comparison with a missing value) is unknown, which
            # would drop the contact; a missing value simply does not match, so NOT keeps it.
            return sa.not_(sa.func.coalesce(inner, sa.false()))
    raise AssertionError(f"unknown condition {condition!r}")
