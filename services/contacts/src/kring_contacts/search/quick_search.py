"""Quick search: one text box that finds contacts by any part of any field, ranked.

Ranking every match of a short fragment by similarity costs about 1.4 s at a million
contacts, while `LIKE '%fragment%' LIMIT n` through the trigram index takes milliseconds.
So the index picks a bounded set of candidates and only those are ranked:

1. contacts whose search text contains every query token (`LIKE`, trigram GIN index; when
   every token is shorter than the index can look up, each must start a word instead, see
   `search_text.MIN_FRAGMENT`);
2. contacts whose name consists of every query token as whole words (array GIN index),
   so that "Jan" still ranks Jan first when thousands of Janssens also match;

then exact names first, then by how closely the name, then the whole search text, resembles
the query — candidates and ranking in one statement.
"""

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Text

from kring_contacts.db_models import Contact
from kring_contacts.phones import default_region
from kring_contacts.search.search_text import (
    like_pattern,
    matches_anywhere,
    search_tokens,
    word_start_pattern,
)

CANDIDATE_LIMIT = 1000


@dataclass(frozen=True)
class SearchResult:
    contacts: list[Contact]
    candidates: int
    """How many contacts were ranked (at most two candidate sets of `CANDIDATE_LIMIT`)."""
    complete: bool
    """False when a candidate set was full, so more contacts may match than were ranked."""


def _contains(token: str, *, anywhere: bool) -> sa.ColumnElement[bool]:
    if anywhere:
        return Contact.search_text.like(like_pattern(token), escape="\\")
    return Contact.search_text.regexp_match(word_start_pattern(token))


def candidate_statements(tokens: list[str]) -> tuple[sa.Select[uuid.UUID], sa.Select[uuid.UUID]]:
    """The two candidate sets of the tokens, each at most `CANDIDATE_LIMIT` ids."""
    live = Contact.deleted_at.is_(None)
    # One token the index can look up narrows the candidates enough for the short ones to
    # be plain filters; with short tokens only, each must start a word, so the index helps.
    anywhere = any(matches_anywhere(token) for token in tokens)
    by_fragment = sa.select(Contact.id).where(
        live, *(_contains(token, anywhere=anywhere) for token in tokens)
    )
    by_name = sa.select(Contact.id).where(
        live, Contact.name_words.contains(sa.literal(tokens, ARRAY(Text)))
    )
    return by_fragment.limit(CANDIDATE_LIMIT), by_name.limit(CANDIDATE_LIMIT)


def search_statement(
    tokens: list[str], *, limit: int, offset: int
) -> sa.Select[Contact, int, int, int]:
    """The page, ranked, in one statement with the sizes of both candidate sets and of their
    union: the candidates never travel to the client and back (at a million contacts,
    sending 1,000 ids back as a parameter cost about as much as ranking them). Ranking:
    exact names first, then by how closely the name, then the whole search text, resembles
    the query."""
    fragment_ids, name_ids = candidate_statements(tokens)
    by_fragment, by_name = fragment_ids.cte("by_fragment"), name_ids.cte("by_name")
    candidates = sa.union(sa.select(by_fragment.c.id), sa.select(by_name.c.id)).cte("candidates")
    phrase = " ".join(tokens)
    name_text = sa.func.array_to_string(Contact.name_words, " ")
    exact_name = sa.case((Contact.name_words.contains(sa.literal(tokens, ARRAY(Text))), 1), else_=0)
    return (
        sa.select(
            Contact,
            _count(by_fragment).label("fragment_count"),
            _count(by_name).label("name_count"),
            _count(candidates).label("candidate_count"),
        )
        .where(Contact.id.in_(sa.select(candidates.c.id)))
        .order_by(
            exact_name.desc(),
            sa.func.word_similarity(phrase, name_text).desc(),
            sa.func.word_similarity(phrase, Contact.search_text).desc(),
            Contact.sort_key,
            Contact.id,
        )
        .limit(limit)
        .offset(offset)
    )


def count_statement(tokens: list[str]) -> sa.Select[int, int, int]:
    """The sizes of the candidate sets alone: for a page past the last candidate."""
    by_fragment, by_name = (statement.subquery() for statement in candidate_statements(tokens))
    both = sa.union(sa.select(by_fragment.c.id), sa.select(by_name.c.id)).subquery()
    return sa.select(_count(by_fragment), _count(by_name), _count(both))


def _count(candidate_set: sa.CTE | sa.Subquery) -> sa.ScalarSelect[int]:
    return sa.select(sa.func.count()).select_from(candidate_set).scalar_subquery()


# The candidates are the first rows a scan meets. Postgres lets a scan of a large table start
# where another one is (synchronize_seqscans), which would make page 2 of the same query
# repeat or skip contacts of page 1; starting at the table's start keeps it stable.
STABLE_SCANS = "SET LOCAL synchronize_seqscans = off"


async def search_contacts(
    session: AsyncSession, query: str, *, limit: int, offset: int
) -> SearchResult:
    tokens = search_tokens(query, phone_region=default_region())
    if not tokens:
        return SearchResult(contacts=[], candidates=0, complete=True)
    await session.execute(sa.text(STABLE_SCANS))
    rows = (await session.execute(search_statement(tokens, limit=limit, offset=offset))).all()
    if rows:
        _, fragment_count, name_count, candidate_count = rows[0]
    elif offset == 0:
        fragment_count = name_count = candidate_count = 0  # nothing matches
    else:
        counts = (await session.execute(count_statement(tokens))).one()
        fragment_count, name_count, candidate_count = counts
    complete = fragment_count < CANDIDATE_LIMIT and name_count < CANDIDATE_LIMIT
    return SearchResult(
        contacts=[row[0] for row in rows], candidates=candidate_count, complete=complete
    )
