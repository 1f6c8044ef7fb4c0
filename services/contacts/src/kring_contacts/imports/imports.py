"""Importing contacts from a file: the column mapping, what each row becomes, and applying a
chunk of rows (the job loop in `imports_job` calls it, chunk after chunk).

A row is matched, in this order:

1. by external id (`external_id` column): an existing contact is updated with the row's
   non-blank cells (a blank cell leaves the value as it is); nothing changed: `unchanged`;
2. by e-mail, or by the same name (ignoring case and accents) and birth date: a contact that
   exists, or a row earlier in the file, is flagged as `duplicate` instead of created twice;
3. otherwise a contact is `created`, with its external id.

A row that does not make a valid contact is `refused`, with the reason. Every creation and
update goes through `contacts.create_contacts` / `apply_patch`, so each records its event
in the chunk's unit of work. A dry run applies the chunk in a savepoint
and rolls it back: the report is exactly what the import would do, and nothing changes.
A chunk's new contacts are created together (`contacts.create_contacts`: the rows, their
events and their history in one COPY each, no ORM object per contact), which is what makes
100,000 rows a matter of seconds.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, get_args

from pydantic import ValidationError
from sqlalchemy import any_, bindparam, func, select, text, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Date, String, Text

from kring_contacts import phones
from kring_contacts.address_fields import ADDRESS_FIELDS, AddressField, PersonField
from kring_contacts.aggregates import lock_contacts_where
from kring_contacts.contacts import contacts
from kring_contacts.db_models import Contact
from kring_contacts.imports.files import ContactFile, ImportRow
from kring_contacts.schemas import ContactCreate, ContactPatch
from kring_contacts.search.filters_run import CUSTOM_PLANS
from kring_contacts.search.search_text import sort_key
from kring_platform.problems import InvalidInput
from kring_platform.unit_of_work import UnitOfWork

ImportField = Literal[PersonField, AddressField, "iban", "birth_date", "notes", "external_id"]
IMPORT_FIELDS: tuple[str, ...] = get_args(ImportField)
Outcome = Literal["created", "updated", "unchanged", "duplicate", "refused"]
MAX_EXTERNAL_ID = 100
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def check_mapping(mapping: dict[str, str], file: ContactFile) -> None:
    """The mapping names columns of the file and contact fields; 422 otherwise. `email` may
    take several columns (a contact has several e-mails), every other field one."""
    problems = []
    for column, target in mapping.items():
        if column not in file.columns:
            problems.append(f"the file has no column {column!r}")
        if target not in IMPORT_FIELDS:
            problems.append(f"{target!r} is not a contact field ({', '.join(IMPORT_FIELDS)})")
    targets = [target for target in mapping.values() if target != "email"]
    for target in sorted({target for target in targets if targets.count(target) > 1}):
        problems.append(f"{target!r} is mapped from more than one column")
    for required in ("first_name", "last_name"):
        if required not in mapping.values():
            problems.append(f"no column is mapped to {required!r}")
    if problems:
        raise InvalidInput("The column mapping does not fit the file: " + "; ".join(problems) + ".")


def _birth_date(text: str) -> date:
    for layout in _DATE_FORMATS:
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise ValueError(f"birth_date: {text[:40]!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")


@dataclass(frozen=True)
class RowValues:
    """A row's mapped, non-blank values (an address field only when its cell had one)."""

    fields: dict[str, Any]
    emails: list[str]
    external_id: str | None
    unparsed_phone: str | None = None
    """A phone cell that is not a valid number: kept in the notes, not refused (below)."""

    @property
    def phone_note(self) -> str | None:
        if self.unparsed_phone is None:
            return None
        return f"{PHONE_NOTE_PREFIX}{self.unparsed_phone}"

    @property
    def warning(self) -> str | None:
        if self.unparsed_phone is None:
            return None
        return f"phone: {self.unparsed_phone[:40]!r} is not a valid phone number; kept in the notes"


# A club's file often holds a phone typed wrong, next to a name, e-mail and address that are
# fine: refusing the row for it would lose the person. The phone is left out, and the cell as
# it was typed goes into the notes, where staff can read and fix it; the row's report says so.
PHONE_NOTE_PREFIX = "Phone as imported (not a valid number): "


def _with_note(notes: str | None, note: str) -> str:
    if not notes:
        return note
    return notes if note in notes else f"{notes}\n{note}"


def row_values(row: ImportRow, mapping: dict[str, str]) -> RowValues:
    """The row's values by contact field; raises ValueError with a reason for a bad cell."""
    if row.extra_cells:
        raise ValueError("the row has more cells than the header has columns")
    fields: dict[str, Any] = {}
    emails: list[str] = []
    external_id = None
    unparsed_phone = None
    for column, target in mapping.items():
        value = row.cells.get(column)
        if value is None:
            continue
        if "\x00" in value:
            raise ValueError(f"{column}: contains a NUL character")
        if target == "email":
            emails.extend(part.strip() for part in value.replace(",", ";").split(";"))
        elif target == "external_id":
            if len(value) > MAX_EXTERNAL_ID:
                raise ValueError(f"{column}: longer than {MAX_EXTERNAL_ID} characters")
            external_id = value
        elif target == "birth_date":
            fields[target] = _birth_date(value)
        elif target == "phone" and not _valid_phone(value):
            unparsed_phone = value
        else:
            fields[target] = value
    return RowValues(
        fields=fields,
        emails=[email for email in emails if email],
        external_id=external_id,
        unparsed_phone=unparsed_phone,
    )


def _valid_phone(value: str) -> bool:
    try:
        phones.parse_phone(value, phones.default_region())
    except ValueError:
        return False
    return True


def _address(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: fields[name] for name in ADDRESS_FIELDS if name in fields}


def draft_of(values: RowValues) -> ContactCreate:
    body = {k: v for k, v in values.fields.items() if k not in ADDRESS_FIELDS}
    if values.phone_note is not None:
        body["notes"] = _with_note(body.get("notes"), values.phone_note)
    return ContactCreate.model_validate(
        {**body, "emails": values.emails, "address": _address(values.fields)}
    )


def patch_of(values: RowValues, current_notes: str = "") -> ContactPatch:
    body: dict[str, Any] = {k: v for k, v in values.fields.items() if k not in ADDRESS_FIELDS}
    if values.phone_note is not None:
        body["notes"] = _with_note(body.get("notes", current_notes), values.phone_note)
    if values.emails:
        body["emails"] = values.emails
    if address := _address(values.fields):
        body["address"] = address
    return ContactPatch.model_validate(body)


def _reason(exc: ValidationError | ValueError) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'row'}: {error['msg']}"
            for error in exc.errors()
        )
    return str(exc)


@dataclass
class SeenKeys:
    """What earlier rows of the file (would have) created, by the keys a duplicate shares."""

    external_ids: dict[str, int] = field(default_factory=dict)
    emails: dict[str, int] = field(default_factory=dict)
    names: dict[tuple[str, date], int] = field(default_factory=dict)

    def note(self, number: int, draft: ContactCreate, external_id: str | None) -> None:
        if external_id is not None:
            self.external_ids.setdefault(external_id, number)
        for email in draft.emails:
            self.emails.setdefault(email, number)
        if draft.birth_date is not None:
            key = (sort_key(draft.first_name, draft.last_name), draft.birth_date)
            self.names.setdefault(key, number)

    def duplicate_of(self, draft: ContactCreate, external_id: str | None) -> str | None:
        if external_id is not None and external_id in self.external_ids:
            return f"same external id as row {self.external_ids[external_id]}"
        for email in draft.emails:
            if email in self.emails:
                return f"same e-mail ({email}) as row {self.emails[email]}"
        if draft.birth_date is not None:
            key = (sort_key(draft.first_name, draft.last_name), draft.birth_date)
            if key in self.names:
                return f"same name and birth date as row {self.names[key]}"
        return None


@dataclass(frozen=True)
class RowOutcome:
    number: int
    outcome: Outcome
    contact_id: uuid.UUID | None = None
    reason: str | None = None


@dataclass(frozen=True)
class _Existing:
    by_external_id: dict[str, Contact]
    by_email: dict[str, uuid.UUID]
    by_name: dict[tuple[str, date], uuid.UUID]


async def _existing(
    session: AsyncSession, drafts: list[tuple[ContactCreate, str | None]]
) -> _Existing:
    """The contacts that rows of a chunk match, in three indexed queries for the chunk."""
    external_ids = sorted({ext for _, ext in drafts if ext is not None})
    emails = sorted({email for draft, _ in drafts for email in draft.emails})
    names = sorted(
        {
            (sort_key(draft.first_name, draft.last_name), draft.birth_date)
            for draft, _ in drafts
            if draft.birth_date is not None
        }
    )
    by_external_id: dict[str, Contact] = {}
    if external_ids:
        # Locked now, all at once: a re-import updates them (most often: finds them
        # unchanged) without a round trip per row.
        found = await lock_contacts_where(
            session, Contact.external_id == any_(bindparam("ext", external_ids, ARRAY(String())))
        )
        by_external_id = {contact.external_id or "": contact for contact in found}
    by_email: dict[str, uuid.UUID] = {}
    if emails:
        # Given 500 e-mails as a value, Postgres estimates that most contacts overlap them
        # and scans all (25 s at a million); behind a subquery it cannot see the array and
        # asks the GIN index on `emails` (tens of milliseconds).
        wanted = select(bindparam("emails", emails, ARRAY(String()))).scalar_subquery()
        rows = await session.execute(
            select(Contact.id, func.unnest(Contact.emails).label("email")).where(
                Contact.deleted_at.is_(None), Contact.emails.overlap(wanted)
            )
        )
        wanted_set = set(emails)
        by_email = {email: contact_id for contact_id, email in rows if email in wanted_set}
    by_name: dict[tuple[str, date], uuid.UUID] = {}
    if names:
        pairs = select(
            func.unnest(bindparam("keys", [key for key, _ in names], ARRAY(Text()))).label("k"),
            func.unnest(bindparam("days", [day for _, day in names], ARRAY(Date()))).label("d"),
        ).subquery()
        rows = await session.execute(
            select(Contact.id, Contact.sort_key, Contact.birth_date).where(
                Contact.deleted_at.is_(None),
                tuple_(Contact.sort_key, Contact.birth_date).in_(select(pairs.c.k, pairs.c.d)),
            )
        )
        by_name = {(key, day): contact_id for contact_id, key, day in rows if day is not None}
    return _Existing(by_external_id=by_external_id, by_email=by_email, by_name=by_name)


def _existing_duplicate(draft: ContactCreate, existing: _Existing) -> RowOutcome | None:
    for email in draft.emails:
        if email in existing.by_email:
            found = existing.by_email[email]
            return RowOutcome(0, "duplicate", found, f"a contact has the e-mail {email}")
    if draft.birth_date is not None:
        key = (sort_key(draft.first_name, draft.last_name), draft.birth_date)
        if key in existing.by_name:
            found = existing.by_name[key]
            return RowOutcome(0, "duplicate", found, "a contact has this name and birth date")
    return None


async def apply_rows(
    work: UnitOfWork,
    rows: list[ImportRow],
    mapping: dict[str, str],
    seen: SeenKeys,
) -> list[RowOutcome]:
    """Creates or updates a contact per row (with their events), in the caller's unit of
    work; `seen` learns the keys of every valid row."""
    session = work.session
    await session.execute(text(CUSTOM_PLANS))  # a chunk's lookups, planned for their values
    outcomes: dict[int, RowOutcome] = {}
    parsed: list[tuple[ImportRow, RowValues, ContactCreate]] = []
    for row in rows:
        try:
            values = row_values(row, mapping)
            parsed.append((row, values, draft_of(values)))
        except (ValidationError, ValueError) as exc:
            outcomes[row.number] = RowOutcome(row.number, "refused", reason=_reason(exc))
    existing = await _existing(
        session, [(draft, values.external_id) for _, values, draft in parsed]
    )

    to_create: list[tuple[int, ContactCreate, str | None]] = []
    warnings: dict[int, str | None] = {}
    for row, values, draft in parsed:
        warnings[row.number] = values.warning
        number, ext = row.number, values.external_id
        in_file = seen.duplicate_of(draft, ext)
        seen.note(number, draft, ext)
        matched = existing.by_external_id.get(ext) if ext is not None else None
        if in_file is not None:
            outcomes[number] = RowOutcome(number, "duplicate", reason=in_file)
        elif matched is not None:
            outcomes[number] = await _update(work, number, matched, values)
        elif (duplicate := _existing_duplicate(draft, existing)) is not None:
            outcomes[number] = RowOutcome(
                number, "duplicate", duplicate.contact_id, duplicate.reason
            )
        else:
            to_create.append((number, draft, ext))
    # New contacts, their events and their history in one COPY each: an import's speed.
    created = await contacts.create_contacts(
        work, [draft for _, draft, _ in to_create], [ext for _, _, ext in to_create]
    )
    for (number, _, _), contact_id in zip(to_create, created, strict=True):
        outcomes[number] = RowOutcome(number, "created", contact_id, warnings[number])
    await session.flush()
    return [outcomes[row.number] for row in rows]


async def _update(work: UnitOfWork, number: int, contact: Contact, values: RowValues) -> RowOutcome:
    if contact.deleted_at is not None:
        return RowOutcome(
            number, "refused", contact.id, "the contact with this external id was deleted"
        )
    try:
        patch = patch_of(values, contact.notes)
    except ValidationError as exc:
        return RowOutcome(number, "refused", contact.id, _reason(exc))
    version = contact.version
    updated = await contacts.apply_patch(work, contact, patch)
    outcome: Outcome = "updated" if updated.version != version else "unchanged"
    return RowOutcome(number, outcome, contact.id, values.warning)
