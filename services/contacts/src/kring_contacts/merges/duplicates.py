"""The duplicate scan: candidate pairs of live contacts with a score and the reasons, in one
set-based statement, and the pairs staff dismissed as "not a duplicate".

Each reason pairs the contacts that share one normalised key (`duplicates_models`): the
same e-mail, phone or IBAN; the same birth date with a similar name (the folded last names
begin alike, then pg_trgm `similarity` of the whole name: "Vermeulen" and "Vermeulem" are
found, a typo in the first three letters is not); the same address with a similar name
(the same last or first name, then `similarity`: people of one household share an
address, not a name). A key that more than
`max_shared` contacts share (a club's shared mailbox, a block of flats) proposes nothing:
its pairs are noise, and their number grows with the square of the group.

A pair's score adds the points of its reasons, at most 100; pairs are ranked by score.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.aggregates import live_contact
from kring_contacts.db_models import Contact
from kring_contacts.merges.duplicate_models import (
    ADDRESS_KEY,
    FIRST_NAME_KEY,
    LAST_NAME_KEY,
    PHONE_KEY,
    DuplicateDismissal,
)
from kring_platform.problems import InvalidInput

Reason = Literal[
    "same_email",
    "same_phone",
    "same_iban",
    "similar_name_same_birth_date",
    "same_address_similar_name",
]

REASON_POINTS: dict[Reason, int] = {
    "same_email": 60,
    "same_phone": 40,
    "same_iban": 50,
    "similar_name_same_birth_date": 70,
    "same_address_similar_name": 30,
}
assert set(REASON_POINTS) == set(get_args(Reason))

MAX_SCORE = 100
DEFAULT_MAX_SHARED = 10
# pg_trgm similarity of the folded "last first" names; "jan peeters" and "jan peters" score
# about 0.7, two members of one family ("jan peeters", "marie peeters") about 0.4.
DEFAULT_NAME_SIMILARITY = 0.6


def score_of(reasons: Iterable[Reason]) -> int:
    """The points of the distinct reasons, at most 100."""
    return min(MAX_SCORE, sum(REASON_POINTS[reason] for reason in set(reasons)))


@dataclass(frozen=True)
class CandidatePair:
    contact_id: uuid.UUID
    other_contact_id: uuid.UUID
    score: int
    reasons: list[Reason]


@dataclass(frozen=True)
class ScanResult:
    pairs: list[CandidatePair]
    total: int


def _points_values() -> str:
    return ", ".join(f"('{reason}', {points})" for reason, points in REASON_POINTS.items())


_FULL_NAME = "replace(sort_key, chr(31), ' ')"
_LIVE = "deleted_at IS NULL"

# Each key groups the live contacts that share it (one hash or sort aggregate per key, so
# the scan grows with the contacts, not with their square); a group's pairs are the
# self-join of its members, written out from the group's ordered ids. A group bigger than
# `max_shared` is left out whole. See bench/contacts_duplicates.py for the figures.
_PAIRS_OF_GROUP = """
    FROM {groups} AS g
    CROSS JOIN LATERAL generate_series(1, cardinality(g.ids) - 1) AS i
    CROSS JOIN LATERAL generate_series(i + 1, cardinality(g.ids)) AS j
"""

SCAN_SQL = f"""
WITH exact_groups AS (
    SELECT 'same_email' AS reason, array_agg(c.id ORDER BY c.id) AS ids
    FROM contacts AS c CROSS JOIN LATERAL unnest(c.emails) AS e(key)
    WHERE c.{_LIVE}
    GROUP BY e.key HAVING count(*) BETWEEN 2 AND :max_shared
  UNION ALL
    SELECT 'same_phone', array_agg(id ORDER BY id) FROM contacts
    WHERE {_LIVE} AND phone IS NOT NULL AND length({PHONE_KEY}) >= 8
    GROUP BY {PHONE_KEY} HAVING count(*) BETWEEN 2 AND :max_shared
  UNION ALL
    SELECT 'same_iban', array_agg(id ORDER BY id) FROM contacts
    WHERE {_LIVE} AND iban IS NOT NULL
    GROUP BY iban HAVING count(*) BETWEEN 2 AND :max_shared
),
name_groups AS (
    SELECT array_agg(id ORDER BY id) AS ids, array_agg({_FULL_NAME} ORDER BY id) AS names
    FROM contacts WHERE {_LIVE} AND birth_date IS NOT NULL
    GROUP BY birth_date, left({LAST_NAME_KEY}, 3) HAVING count(*) BETWEEN 2 AND :max_shared
),
address_groups AS (
    SELECT array_agg(id ORDER BY id) AS ids, array_agg({_FULL_NAME} ORDER BY id) AS names,
           array_agg({LAST_NAME_KEY} ORDER BY id) AS last_names,
           array_agg({FIRST_NAME_KEY} ORDER BY id) AS first_names
    FROM contacts WHERE {_LIVE} AND postcode IS NOT NULL AND street IS NOT NULL
    GROUP BY {ADDRESS_KEY} HAVING count(*) BETWEEN 2 AND :max_shared
),
all_pairs AS (
    SELECT g.reason, g.ids[i] AS a, g.ids[j] AS b {_PAIRS_OF_GROUP.format(groups="exact_groups")}
  UNION
    SELECT 'similar_name_same_birth_date', g.ids[i], g.ids[j]
    {_PAIRS_OF_GROUP.format(groups="name_groups")}
    WHERE similarity(g.names[i], g.names[j]) >= :name_similarity
  UNION
    SELECT 'same_address_similar_name', g.ids[i], g.ids[j]
    {_PAIRS_OF_GROUP.format(groups="address_groups")}
    WHERE (g.last_names[i] = g.last_names[j] OR g.first_names[i] = g.first_names[j])
      AND similarity(g.names[i], g.names[j]) >= :name_similarity
),
scored AS (
    SELECT p.a, p.b, array_agg(p.reason ORDER BY p.reason) AS reasons,
           least({MAX_SCORE}, sum(w.points))::int AS score
    FROM all_pairs AS p
    JOIN (VALUES {_points_values()}) AS w(reason, points) ON w.reason = p.reason
    WHERE NOT EXISTS (
        SELECT 1 FROM duplicate_dismissals AS d
        WHERE d.contact_id = p.a AND d.other_contact_id = p.b
    )
    GROUP BY p.a, p.b
)
SELECT a, b, reasons, score, count(*) OVER () AS total
FROM scored WHERE score >= :min_score
ORDER BY score DESC, a, b
LIMIT :limit OFFSET :offset
"""

# The aggregates of a million contacts fit in memory with this.
SCAN_WORK_MEM = "128MB"


async def scan(
    session: AsyncSession,
    *,
    min_score: int = 0,
    limit: int = 50,
    offset: int = 0,
    max_shared: int = DEFAULT_MAX_SHARED,
    name_similarity: float = DEFAULT_NAME_SIMILARITY,
) -> ScanResult:
    """One page of the candidate pairs (best first) and how many there are in all."""
    # For this transaction only: room for the aggregates, and no JIT (compiling the plan
    # costs seconds and wins nothing on a scan bound by sorting).
    await session.execute(
        text("SELECT set_config('work_mem', :work_mem, true), set_config('jit', 'off', true)"),
        {"work_mem": SCAN_WORK_MEM},
    )
    rows = (
        await session.execute(
            text(SCAN_SQL),
            {
                "min_score": min_score,
                "limit": limit,
                "offset": offset,
                "max_shared": max_shared,
                "name_similarity": name_similarity,
            },
        )
    ).all()
    pairs = [
        CandidatePair(contact_id=a, other_contact_id=b, score=score, reasons=list(reasons))
        for a, b, reasons, score, _ in rows
    ]
    return ScanResult(pairs=pairs, total=rows[0].total if rows else 0)


def ordered_pair(first: uuid.UUID, second: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """The pair as stored: the smaller id first (Postgres orders uuids as Python does)."""
    if first == second:
        raise InvalidInput(
            "A contact is no duplicate of itself: name two different contacts.",
            contact_id=str(first),
        )
    return (first, second) if first < second else (second, first)


async def dismiss(
    session: AsyncSession, contact_ids: Sequence[uuid.UUID]
) -> tuple[DuplicateDismissal, bool]:
    """Marks the two contacts "not a duplicate"; returns the dismissal and whether it is new.
    Both must be live contacts."""
    first, second = ordered_pair(contact_ids[0], contact_ids[1])
    for contact_id in (first, second):
        await live_contact(session, contact_id)
    inserted = await session.scalar(
        insert(DuplicateDismissal)
        .values(contact_id=first, other_contact_id=second, dismissed_at=datetime.now(UTC))
        .on_conflict_do_nothing()
        .returning(DuplicateDismissal.contact_id)
    )
    dismissal = await session.get(DuplicateDismissal, (first, second))
    assert dismissal is not None
    return dismissal, inserted is not None


async def undo_dismissal(session: AsyncSession, first: uuid.UUID, second: uuid.UUID) -> bool:
    """The pair may be proposed again; whether it had been dismissed."""
    low, high = ordered_pair(first, second)
    removed = await session.scalar(
        delete(DuplicateDismissal)
        .where(DuplicateDismissal.contact_id == low, DuplicateDismissal.other_contact_id == high)
        .returning(DuplicateDismissal.contact_id)
    )
    return removed is not None


async def forget_dismissals(session: AsyncSession, contact_ids: Sequence[uuid.UUID]) -> None:
    """A merged or erased contact's dismissals mean nothing any more."""
    await session.execute(
        delete(DuplicateDismissal).where(
            DuplicateDismissal.contact_id.in_(contact_ids)
            | DuplicateDismissal.other_contact_id.in_(contact_ids)
        )
    )


async def contacts_of(session: AsyncSession, pairs: Sequence[CandidatePair]) -> list[Contact]:
    """The contacts the pairs name, in one query."""
    ids = {contact_id for pair in pairs for contact_id in (pair.contact_id, pair.other_contact_id)}
    if not ids:
        return []
    return list(await session.scalars(select(Contact).where(Contact.id.in_(ids))))
