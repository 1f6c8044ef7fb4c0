"""Publishing `kring.access.v1`: a contact's full right set whenever the set for today
changes, and never twice the same.

`access_states` keeps the set last published per contact. Every change that can move a
contact's rights (a membership registered, ended, activated or deleted, a group joined or
left, a grant, a type's rights) calls `refresh_access` for the contacts concerned, in its
own transaction and after its own writes: the state rows are locked in contact id order
before the sets are computed, so of two transactions touching one contact the later one
computes after the earlier committed, and what is published last is what is true.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import any_, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.types import Uuid

from kring_contracts.access import AccessChanged
from kring_memberships.access.access_rights import rights_of
from kring_memberships.db_models import AccessState, Contact
from kring_platform.outbox import OutboxEvent
from kring_platform.unit_of_work import UnitOfWork, UnitsOfWork


async def refresh_access(work: UnitOfWork, contact_ids: Iterable[uuid.UUID], today: date) -> int:
    """Recomputes the contacts' rights for today and records `AccessChanged` for each whose
    set differs from the one last published; the number of events recorded."""
    ids = sorted(set(contact_ids))
    if not ids:
        return 0
    id_array = bindparam("contact_ids", ids, type_=ARRAY(Uuid()))
    session = work.session
    await session.execute(
        insert(AccessState)
        .from_select(["contact_id"], select(func.unnest(id_array)))
        .on_conflict_do_nothing()
    )
    # Many rows in contact id order (not one aggregate's lock): written out, not work.lock.
    states = await session.execute(
        select(AccessState.contact_id, AccessState.rights, AccessState.version)
        .where(AccessState.contact_id == any_(id_array))
        .order_by(AccessState.contact_id)
        .with_for_update()
    )
    computed = await rights_of(session, ids, today)
    now = datetime.now(UTC)
    changes: list[tuple[uuid.UUID, list[str], int]] = []
    events: list[OutboxEvent] = []
    for contact_id, published, version in states:
        rights = computed.get(contact_id, [])
        if rights == list(published):
            continue
        # The statement below bumps the versions, for thousands of contacts at once.
        sequence = version + 1
        changes.append((contact_id, rights, sequence))
        events.append(
            OutboxEvent(
                AccessChanged(contact_id=contact_id, rights=rights, on=today),
                aggregate_type="access",
                subject=contact_id,
                sequence=sequence,
            )
        )
    if changes:
        # One statement each: a recompute or a group's grant changes thousands of contacts.
        await session.execute(
            _UPDATE_STATES,
            {
                "contact_ids": [contact_id for contact_id, _, _ in changes],
                "rights": [",".join(rights) for _, rights, _ in changes],
                "versions": [version for _, _, version in changes],
                "on": today,
                "now": now,
            },
        )
        await work.record_many(events)
    return len(changes)


# The changed rows in one statement. Rights travel comma-joined: a ragged list of lists is
# no Postgres array, and right codes never hold a comma (see rights.RIGHT_PATTERN).
_UPDATE_STATES = text(
    """
    UPDATE access_states AS state
    SET rights = string_to_array(changed.rights, ','), "on" = :on, version = changed.version,
        changed_at = :now
    FROM unnest(
        CAST(:contact_ids AS uuid[]), CAST(:rights AS text[]), CAST(:versions AS integer[])
    ) AS changed(contact_id, rights, version)
    WHERE state.contact_id = changed.contact_id
    """
)


@dataclass(frozen=True)
class Recomputed:
    contacts: int
    changed: int


async def recompute_all(units: UnitsOfWork, today: date, *, batch_size: int = 1000) -> Recomputed:
    """Recomputes every contact's access from scratch, one transaction per batch of
    contacts; publishes what differs from the last published sets."""
    contacts = changed = 0
    after: uuid.UUID | None = None
    while True:
        async with units() as work:
            query = select(Contact.id).order_by(Contact.id).limit(batch_size)
            if after is not None:
                query = query.where(Contact.id > after)
            batch = list(await work.session.scalars(query))
            if not batch:
                return Recomputed(contacts=contacts, changed=changed)
            changed += await refresh_access(work, batch, today)
        contacts += len(batch)
        after = batch[-1]
