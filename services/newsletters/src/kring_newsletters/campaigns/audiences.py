"""Who a campaign goes to, decided when sending starts: the active subscribers of its
lists, its explicit contacts and the adults of its families, one mail per address.

Left out, whatever the audience: contacts deleted or erased, without an address, opted out
of one of the campaign's lists or of all lists, and addresses marked as bouncing. A contact
reached through a list keeps that list (its unsubscribe link offers that list).
"""

import uuid
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from kring_newsletters.read_models.families import ADULT_ROLES


@dataclass(frozen=True)
class Audience:
    list_ids: list[uuid.UUID] = field(default_factory=list)
    contact_ids: list[uuid.UUID] = field(default_factory=list)
    family_ids: list[uuid.UUID] = field(default_factory=list)

    @classmethod
    def of(cls, stored: dict[str, list[str]]) -> "Audience":
        return cls(
            list_ids=[uuid.UUID(i) for i in stored.get("list_ids", [])],
            contact_ids=[uuid.UUID(i) for i in stored.get("contact_ids", [])],
            family_ids=[uuid.UUID(i) for i in stored.get("family_ids", [])],
        )

    def stored(self) -> dict[str, list[str]]:
        return {
            "list_ids": [str(i) for i in self.list_ids],
            "contact_ids": [str(i) for i in self.contact_ids],
            "family_ids": [str(i) for i in self.family_ids],
        }


# One statement: the audience is resolved and queued atomically with the campaign's move to
# "sending". Lists come first (priority 1), so an address reached through a list keeps it.
_RECIPIENTS = """
    WITH candidates AS (
        SELECT s.contact_id, s.list_id, 1 AS priority
          FROM subscriptions s
          JOIN mailing_lists l ON l.id = s.list_id AND l.deleted_at IS NULL
         WHERE s.active AND s.list_id = ANY(:list_ids)
        UNION ALL
        SELECT c, NULL::uuid, 2 FROM unnest(CAST(:contact_ids AS uuid[])) AS c
        UNION ALL
        SELECT m.contact_id, NULL::uuid, 3
          FROM family_members m
          JOIN families f ON f.id = m.family_id AND NOT f.deleted
         WHERE m.family_id = ANY(:family_ids) AND m.role = ANY(:adult_roles)
    ),
    recipients AS (
        SELECT DISTINCT ON (lower(c.email))
               c.id AS contact_id, candidates.list_id, c.first_name, c.last_name, c.email
          FROM candidates
          JOIN contacts c ON c.id = candidates.contact_id
         WHERE c.known AND NOT c.deleted AND NOT c.erased
           AND coalesce(c.email, '') <> ''
           AND NOT EXISTS (SELECT 1 FROM all_lists_opt_outs o WHERE o.contact_id = c.id)
           AND NOT EXISTS (
               SELECT 1 FROM subscriptions o
                WHERE o.contact_id = c.id AND o.opted_out AND o.list_id = ANY(:list_ids))
           AND NOT EXISTS (
               SELECT 1 FROM address_bounces b WHERE b.email = lower(c.email) AND b.bouncing)
         ORDER BY lower(c.email), candidates.priority, c.id
    )
"""
_QUEUE_RECIPIENTS = text(
    _RECIPIENTS
    + """
    INSERT INTO deliveries (id, campaign_id, contact_id, email, list_id, fields, status)
    SELECT gen_random_uuid(), :campaign_id, r.contact_id, r.email, r.list_id,
           jsonb_build_object(
               'first_name', r.first_name,
               'last_name', r.last_name,
               'full_name', btrim(r.first_name || ' ' || r.last_name),
               'email', r.email,
               'membership_type', coalesce((
                   SELECT string_agg(DISTINCT t.name, ', ' ORDER BY t.name)
                     FROM contact_memberships m
                     JOIN membership_types t ON t.id = m.type_id
                    WHERE m.contact_id = r.contact_id AND NOT m.ended), '')),
           'queued'
      FROM recipients r
    """
)


_COUNT_RECIPIENTS = text(_RECIPIENTS + "SELECT count(*) FROM recipients")


async def count_recipients(session: AsyncSession, audience: Audience) -> int:
    """How many the audience reaches if sent now."""
    count = await session.scalar(_COUNT_RECIPIENTS, _parameters(None, audience))
    return int(count or 0)


def _parameters(campaign_id: uuid.UUID | None, audience: Audience) -> dict[str, object]:
    return {
        "campaign_id": campaign_id,
        "list_ids": audience.list_ids,
        "contact_ids": audience.contact_ids,
        "family_ids": audience.family_ids,
        "adult_roles": list(ADULT_ROLES),
    }


async def queue_recipients(
    session: AsyncSession, campaign_id: uuid.UUID, audience: Audience
) -> int:
    """Inserts one queued delivery per recipient; returns how many."""
    result = await session.execute(_QUEUE_RECIPIENTS, _parameters(campaign_id, audience))
    return int(result.rowcount)  # type: ignore[attr-defined]
