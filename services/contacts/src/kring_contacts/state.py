"""The contacts service's state topics: each contact's, group's, family's and company's latest
snapshot (see
kring_platform.state_topics), built in SQL so a bulk change (an import's chunk) writes its
snapshots in one statement.

Every change of one of them records its event through `aggregates` (`record_contact_event`,
`record_with_snapshot`), which touches it here; the snapshot is read when the
transaction commits. A contact that is deleted, erased or merged away, and a deleted group,
family or company, become a tombstone.
"""

import asyncio
import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.settings import Settings
from kring_contracts import EventPayload
from kring_contracts.contacts import CompanyState, ContactState, FamilyState, GroupState
from kring_platform.db import Database
from kring_platform.state_topics import StateTopic, publish_all, touch

SOURCE = "/kring/contacts"


def _address_json(alias: str) -> str:
    """The address columns of the row `alias` as the payloads' `address` object."""
    return (
        f"jsonb_build_object('street', {alias}.street, 'number', {alias}.number, "
        f"'postcode', {alias}.postcode, 'city', {alias}.city, 'country', {alias}.country)"
    )


def _state_topic(
    payload_type: type[EventPayload],
    aggregate_type: str,
    table: str,
    alias: str,
    *,
    live: str,
    data: str,
) -> StateTopic:
    """The state topic of the rows of `table` (named `alias` in `live` and `data`): a
    snapshot per id asked for, `data` while the row is `live`, else a tombstone."""
    return StateTopic(
        payload_type=payload_type,
        aggregate_type=aggregate_type,
        source=SOURCE,
        snapshots=f"""
    SELECT ids.id AS subject, {alias}.version AS sequence,
        CASE WHEN {live} THEN {data} END AS data
    FROM unnest(:state_ids) AS ids(id) LEFT JOIN {table} AS {alias} ON {alias}.id = ids.id
    """,
        all_ids=f"SELECT id FROM {table}",
    )


# `data` is what ContactState.model_dump(mode="json") gives
# (tests/integration/test_state_topics.py).
CONTACT_STATE = _state_topic(
    ContactState,
    "contact",
    "contacts",
    "c",
    live="c.deleted_at IS NULL",
    data=f"""jsonb_build_object(
            'contact_id', c.id,
            'contact', jsonb_build_object(
                'first_name', c.first_name, 'last_name', c.last_name,
                'emails', to_jsonb(c.emails), 'phone', c.phone,
                'address', {_address_json("c")},
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
        )""",
)
GROUP_STATE = _state_topic(
    GroupState,
    "group",
    "groups",
    "g",
    live="g.deleted_at IS NULL",
    data="jsonb_build_object('group_id', g.id, 'name', g.name)",
)
FAMILY_STATE = _state_topic(
    FamilyState,
    "family",
    "families",
    "f",
    live="f.id IS NOT NULL",
    data=f"jsonb_build_object('family_id', f.id, 'name', f.name, 'address', {_address_json('f')})",
)
COMPANY_STATE = _state_topic(
    CompanyState,
    "company",
    "companies",
    "k",
    live="k.id IS NOT NULL",
    data="jsonb_build_object('company_id', k.id, 'name', k.name, 'vat_number', k.vat_number)",
)
STATES = (CONTACT_STATE, GROUP_STATE, FAMILY_STATE, COMPANY_STATE)


def contacts_changed(session: AsyncSession, contact_ids: Iterable[uuid.UUID]) -> None:
    touch(session, CONTACT_STATE, contact_ids)


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
