"""The contacts service's state topics: each contact's, group's, family's and company's latest
snapshot (see
kring_platform.state_topics), built in SQL so a bulk change (an import's chunk) writes its
snapshots in one statement.

Every change of one of them records its event through `aggregates` (families and companies
through their own `record_*_event`), which touches it here; the snapshot is read when the
transaction commits. A contact that is deleted, erased or merged away, and a deleted group,
family or company, become a tombstone.
"""

import asyncio
import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.settings import Settings
from kring_contracts.contacts import CompanyState, ContactState, FamilyState, GroupState
from kring_platform.db import Database
from kring_platform.state_topics import StateTopic, publish_all, touch

SOURCE = "/kring/contacts"

# `data` is what ContactState.model_dump(mode="json") gives
# (tests/integration/test_state_topics.py).
CONTACT_STATE = StateTopic(
    payload_type=ContactState,
    aggregate_type="contact",
    source=SOURCE,
    snapshots="""
    SELECT ids.id AS subject, c.version AS sequence,
        CASE WHEN c.deleted_at IS NULL THEN jsonb_build_object(
            'contact_id', c.id,
            'contact', jsonb_build_object(
                'first_name', c.first_name, 'last_name', c.last_name,
                'emails', to_jsonb(c.emails), 'phone', c.phone,
                'address', jsonb_build_object(
                    'street', c.street, 'number', c.number, 'postcode', c.postcode,
                    'city', c.city, 'country', c.country),
                'iban', c.iban, 'birth_date', c.birth_date),
            'group_ids', coalesce((
                SELECT jsonb_agg(m.group_id ORDER BY m.group_id)
                FROM group_members AS m WHERE m.contact_id = c.id), '[]'::jsonb),
            'family', (
                SELECT jsonb_build_object('family_id', f.family_id, 'role', f.role)
                FROM family_members AS f WHERE f.contact_id = c.id),
            'companies', coalesce((
                SELECT jsonb_agg(
                    jsonb_build_object('company_id', k.company_id, 'role', k.role)
                    ORDER BY k.company_id)
                FROM company_contacts AS k WHERE k.contact_id = c.id), '[]'::jsonb)
        ) END AS data
    FROM unnest(:state_ids) AS ids(id) LEFT JOIN contacts AS c ON c.id = ids.id
    """,
    all_ids="SELECT id FROM contacts",
)

GROUP_STATE = StateTopic(
    payload_type=GroupState,
    aggregate_type="group",
    source=SOURCE,
    snapshots="""
    SELECT ids.id AS subject, g.version AS sequence,
        CASE WHEN g.deleted_at IS NULL THEN jsonb_build_object('group_id', g.id, 'name', g.name)
        END AS data
    FROM unnest(:state_ids) AS ids(id) LEFT JOIN groups AS g ON g.id = ids.id
    """,
    all_ids="SELECT id FROM groups",
)

FAMILY_STATE = StateTopic(
    payload_type=FamilyState,
    aggregate_type="family",
    source=SOURCE,
    snapshots="""
    SELECT ids.id AS subject, f.version AS sequence,
        CASE WHEN f.id IS NOT NULL THEN jsonb_build_object(
            'family_id', f.id, 'name', f.name,
            'address', jsonb_build_object(
                'street', f.street, 'number', f.number, 'postcode', f.postcode,
                'city', f.city, 'country', f.country))
        END AS data
    FROM unnest(:state_ids) AS ids(id) LEFT JOIN families AS f ON f.id = ids.id
    """,
    all_ids="SELECT id FROM families",
)

COMPANY_STATE = StateTopic(
    payload_type=CompanyState,
    aggregate_type="company",
    source=SOURCE,
    snapshots="""
    SELECT ids.id AS subject, k.version AS sequence,
        CASE WHEN k.id IS NOT NULL THEN jsonb_build_object(
            'company_id', k.id, 'name', k.name, 'vat_number', k.vat_number)
        END AS data
    FROM unnest(:state_ids) AS ids(id) LEFT JOIN companies AS k ON k.id = ids.id
    """,
    all_ids="SELECT id FROM companies",
)
STATES = (CONTACT_STATE, GROUP_STATE, FAMILY_STATE, COMPANY_STATE)


def contacts_changed(session: AsyncSession, contact_ids: Iterable[uuid.UUID]) -> None:
    touch(session, CONTACT_STATE, contact_ids)


def group_changed(session: AsyncSession, group_id: uuid.UUID) -> None:
    touch(session, GROUP_STATE, [group_id])


def family_changed(session: AsyncSession, family_id: uuid.UUID) -> None:
    touch(session, FAMILY_STATE, [family_id])


def company_changed(session: AsyncSession, company_id: uuid.UUID) -> None:
    touch(session, COMPANY_STATE, [company_id])


async def publish_every_snapshot(database: Database) -> dict[str, int]:
    """The backfill: every contact's, group's, family's and company's snapshot, once more
    (idempotent)."""
    return {
        state.payload_type.topic: await publish_all(database.transaction, state) for state in STATES
    }


def main() -> None:
    """`python -m kring_contacts.state`: run once after upgrading to state topics, so contacts
    and groups that existed before have their snapshot there too."""
    database = Database(Settings().database_url)

    async def backfill() -> dict[str, int]:
        try:
            return await publish_every_snapshot(database)
        finally:
            await database.dispose()

    for topic, count in asyncio.run(backfill()).items():
        print(f"{topic}: {count} snapshots written to the outbox")


if __name__ == "__main__":
    main()
