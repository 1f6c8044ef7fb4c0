"""Count-then-page against the real Postgres: the total counts every row the query gives,
whatever page is asked, and a page holds the rows in the query's order."""

import uuid

import pytest
from sqlalchemy import insert, select

from kring_platform.db import Database
from kring_platform.paging import count_rows, fetch_listing, fetch_row_listing

from .conftest import notes

pytestmark = pytest.mark.integration


async def add_notes(database: Database, subject: str, texts: list[str]) -> None:
    rows = [{"event_id": str(uuid.uuid4()), "subject": subject, "text": t} for t in texts]
    async with database.transaction() as session:
        await session.execute(insert(notes), rows)


async def test_a_page_of_values_with_the_total(database: Database) -> None:
    texts = [f"note {n:02d}" for n in range(7)]
    await add_notes(database, "mine", texts)
    await add_notes(database, "other", ["not counted"])
    query = select(notes.c.text).where(notes.c.subject == "mine").order_by(notes.c.text)
    async with database.transaction() as session:
        pages = [await fetch_listing(session, query, limit=3, offset=o) for o in (0, 3, 6, 9)]
        assert await count_rows(session, query) == len(texts)
    assert [page.total for page in pages] == [len(texts)] * 4
    assert [item for page in pages for item in page.items] == texts
    assert pages[-1].items == []


async def test_a_page_of_whole_rows(database: Database) -> None:
    await add_notes(database, "rows", ["b", "a", "c"])
    query = select(notes.c.text, notes.c.subject).where(notes.c.subject == "rows")
    async with database.transaction() as session:
        page = await fetch_row_listing(session, query.order_by(notes.c.text), limit=2, offset=1)
    assert page.total == 3
    assert [tuple(row) for row in page.items] == [("b", "rows"), ("c", "rows")]
