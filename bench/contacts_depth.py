"""Benchmark: the contact file in depth at a million contacts — quick search by field, three
advanced searches, and a 100,000-row CSV import through the import job — each beside a
floor measured in the same run.

Loads the contacts of `contacts_search.py` (same generator, same COPY, birth dates included)
plus three groups (10%, 2% and 0.5% of contacts), then:

- quick search (`quick_search.search_contacts`, limit 20) by partial name, postcode, street, e-mail
  fragment and IBAN fragment: p50 / p95 of `--runs` runs; floors: `LIKE '%token%' LIMIT 20`
  (unranked), and the service's own statements run raw through the bare driver (the same
  query as raw SQL: what the search costs Postgres);
- three advanced searches (`search_filters_run.fetch_page`, limit 50, plus the page's rows
  in their columns): p50 / p95; floor: the same filter hand-written as one SQL statement;
- an import of `--import-rows` new contacts: a CSV uploaded to the running app (in-process,
  relay on, `POST /contact-imports`) until the job is done (contacts and their events in the
  outbox) and until the relay marked every event published (on Kafka), then the same file
  again (every row unchanged, found by its external id); floor: COPY of the same contacts
  (search text folded in Python) into a copy of the contacts table with its indexes.

    uv run python bench/contacts_depth.py [--contacts 1000000] [--import-rows 100000] [--keep]
    uv run python bench/contacts_depth.py --database <url printed by --keep>  # time only

Needs Postgres (KRING_PG_ADMIN_URL) and Kafka (KAFKA_BOOTSTRAP_SERVERS) of a running stack.
"""

import argparse
import asyncio
import csv
import io
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from contacts_search import (
    ALEMBIC_INI,
    CONTACT_COLUMNS,
    DEV_ADMIN_URL,
    SAMPLE,
    Person,
    dsn,
    floor_sql,
    load,
    print_machine,
    print_sizes,
    release_database,
    same_query_raw,
)

from kring_contacts.main import create_app
from kring_contacts.search import quick_search
from kring_contacts.search.filters import ContactQuery
from kring_contacts.search.filters_run import contact_rows, fetch_page
from kring_contacts.search.filters_sql import QueryContext, years_before
from kring_contacts.search.search_text import name_words, search_tokens, sort_key
from kring_contacts.settings import Settings
from kring_platform.clock import SystemClock
from kring_platform.db import Database
from kring_platform.testing import (
    asgi_client,
    create_database,
    migrate,
    quick_settings,
    running_app,
)

GROUPS = (("Volunteers", 0.10), ("Board", 0.02), ("Trainers", 0.005))


def load_groups(database_url: str) -> dict[str, uuid.UUID]:
    """Three groups with a share of the live contacts each, by COPY."""
    rnd = random.Random(46)
    ids = {name: uuid.UUID(int=rnd.getrandbits(128), version=4) for name, _ in GROUPS}
    with psycopg.connect(dsn(database_url), autocommit=True) as conn:
        contact_ids = [
            row[0]
            for row in conn.execute("SELECT id FROM contacts WHERE deleted_at IS NULL ORDER BY id")
        ]
        with conn.transaction():
            for name, group_id in ids.items():
                conn.execute(
                    "INSERT INTO groups (id, name, sort_key, version) VALUES (%s, %s, %s, 1)",
                    (group_id, name, name.lower()),
                )
            with (
                conn.cursor() as cur,
                cur.copy("COPY group_members (group_id, contact_id) FROM STDIN") as copy,
            ):
                for name, share in GROUPS:
                    for contact_id in contact_ids:
                        if rnd.random() < share:
                            copy.write_row((ids[name], contact_id))
        conn.execute("VACUUM ANALYZE group_members")
        conn.execute("ANALYZE groups")
    return ids


@dataclass(frozen=True)
class Figures:
    ms: list[float]

    def pct(self, share: float) -> float:
        ordered = sorted(self.ms)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        return self.pct(0.95)


async def timed(runs: int, action: Callable[[], Awaitable[object]]) -> Figures:
    await action()  # warm-up, not counted
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await action()
        samples.append((time.perf_counter() - started) * 1000)
    return Figures(samples)


def line(
    label: str, service: Figures, floor: Figures, goal: str, same_sql: Figures | None = None
) -> str:
    ratio = service.p95 / floor.p95 if floor.p95 else float("inf")
    same = "| | | |"
    if same_sql is not None:
        same_ratio = service.p95 / same_sql.p95 if same_sql.p95 else float("inf")
        same = f"| {same_sql.p50:.1f} | {same_sql.p95:.1f} | {same_ratio:.1f} |"
    return (
        f"| {label} | {service.p50:.1f} | {service.p95:.1f} | {floor.p50:.1f} | {floor.p95:.1f}"
        f" | {ratio:.1f} {same} {goal} |"
    )


# --- quick search ------------------------------------------------------------------------------

QUICK_QUERIES = (
    ("partial name", "janss"),
    ("postcode", "9000"),
    ("street", "kerkstraat"),
    ("e-mail fragment", SAMPLE.emails[0].split("@")[0][3:-2]),
    ("IBAN fragment", (SAMPLE.iban or "")[4:12]),
)


async def bench_quick(database: Database, runs: int) -> list[str]:
    lines = []
    for label, query in QUICK_QUERIES:
        statement, params = floor_sql(search_tokens(query))

        async def service(query: str = query) -> None:
            async with database.transaction() as session:
                await quick_search.search_contacts(session, query, limit=20, offset=0)

        async def floor(statement: str = statement, params: dict[str, str] = params) -> None:
            async with database.transaction() as session:
                await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
                await session.execute(text(statement), {**params, "limit": 20})

        async def same_sql(query: str = query) -> None:
            async with database.transaction() as session:
                await same_query_raw(session, search_tokens(query), 20)

        lines.append(
            line(
                f"quick `{query}` ({label})",
                await timed(runs, service),
                await timed(runs, floor),
                "p95 < 50 ms, <= 2x the same SQL",
                await timed(runs, same_sql),
            )
        )
    return lines


# --- advanced search ---------------------------------------------------------------------------


def advanced_queries(
    groups: dict[str, uuid.UUID], youth: uuid.UUID | None, day: date
) -> list[tuple[str, ContactQuery, str, dict[str, Any]]]:
    """(label, the query, the same filter as one SQL statement, its parameters)."""
    live = "deleted_at IS NULL"
    young, old = years_before(day, 31), years_before(day, 18)
    member = (
        "EXISTS (SELECT 1 FROM memberships m WHERE m.contact_id = c.id AND m.type_id = :type"
        " AND m.start_date <= :day AND (m.end_date IS NULL OR m.end_date >= :day))"
    )
    in_group = (
        "EXISTS (SELECT 1 FROM group_members g WHERE g.contact_id = c.id AND g.group_id = :group)"
    )
    return [
        (
            "city = Gent and aged 18-30, by name",
            ContactQuery.model_validate(
                {
                    "filter": {
                        "kind": "and",
                        "conditions": [
                            {"kind": "text", "field": "city", "op": "equals", "value": "gent"},
                            {"kind": "age", "min": 18, "max": 30},
                        ],
                    }
                }
            ),
            f"SELECT id FROM contacts c WHERE {live} AND lower(city) = :city"
            " AND birth_date <= :old AND birth_date > :young ORDER BY sort_key, id LIMIT 51",
            {"city": "gent", "old": old, "young": young},
        ),
        (
            "Youth member today and in Volunteers, by birth date",
            ContactQuery.model_validate(
                {
                    "filter": {
                        "kind": "and",
                        "conditions": [
                            {"kind": "membership", "type_ids": [str(youth)] if youth else []},
                            {"kind": "group", "group_ids": [str(groups["Volunteers"])]},
                        ],
                    },
                    "sort": [{"field": "birth_date"}],
                }
            ),
            f"SELECT id FROM contacts c WHERE {live} AND {member} AND {in_group}"
            " ORDER BY coalesce(birth_date, '9999-12-31'), id LIMIT 51",
            {"type": youth, "day": day, "group": groups["Volunteers"]},
        ),
        (
            "(last name contains 'moortel' or city = Arlon) and not in Board",
            ContactQuery.model_validate(
                {
                    "filter": {
                        "kind": "and",
                        "conditions": [
                            {
                                "kind": "or",
                                "conditions": [
                                    {
                                        "kind": "text",
                                        "field": "last_name",
                                        "op": "contains",
                                        "value": "moortel",
                                    },
                                    {
                                        "kind": "text",
                                        "field": "city",
                                        "op": "equals",
                                        "value": "arlon",
                                    },
                                ],
                            },
                            {
                                "kind": "not",
                                "condition": {
                                    "kind": "group",
                                    "group_ids": [str(groups["Board"])],
                                },
                            },
                        ],
                    }
                }
            ),
            f"SELECT id FROM contacts c WHERE {live}"
            " AND ((search_text LIKE '%moortel%' AND last_name ILIKE '%moortel%')"
            " OR lower(city) = 'arlon') AND NOT EXISTS (SELECT 1 FROM group_members g"
            " WHERE g.contact_id = c.id AND g.group_id = :group) ORDER BY sort_key, id LIMIT 51",
            {"group": groups["Board"]},
        ),
    ]


async def bench_advanced(
    database: Database, groups: dict[str, uuid.UUID], day: date, zone: Any, runs: int
) -> list[str]:
    async with database.transaction() as session:
        youth = await session.scalar(text("SELECT id FROM membership_types WHERE name = 'Youth'"))
    context = QueryContext(day=day, zone=zone)
    lines = []
    for label, query, statement, params in advanced_queries(groups, youth, day):

        async def service(query: ContactQuery = query) -> None:
            async with database.transaction() as session:
                page = await fetch_page(session, query, context, cursor=None, limit=50)
                await contact_rows(session, page.contacts, query.columns, day)

        async def floor(statement: str = statement, params: dict[str, Any] = params) -> None:
            async with database.transaction() as session:
                await session.execute(text(statement), params)

        lines.append(
            line(label, await timed(runs, service), await timed(runs, floor), "p95 < 200 ms")
        )
    return lines


# --- import ------------------------------------------------------------------------------------

IMPORT_HEADER = ["Lidnummer", "Voornaam", "Naam", "E-mail", "Straat", "Postcode", "Gemeente"]
IMPORT_MAPPING = {
    "Lidnummer": "external_id",
    "Voornaam": "first_name",
    "Naam": "last_name",
    "E-mail": "email",
    "Straat": "street",
    "Postcode": "postcode",
    "Gemeente": "city",
}


def import_people(count: int) -> list[list[str]]:
    rnd = random.Random(47)
    return [
        [
            f"imp-{n}",
            rnd.choice(("Jan", "Marie", "Piet", "Anna", "Lucas", "Emma")),
            f"Importee{n:06d}",
            f"importee{n}@import.example.org",
            rnd.choice(("Kerkstraat", "Molenstraat", "Rue Haute")),
            rnd.choice(("9000", "2000", "1000")),
            rnd.choice(("Gent", "Antwerpen", "Brussel")),
        ]
        for n in range(count)
    ]


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([IMPORT_HEADER, *rows])
    return buffer.getvalue().encode()


def copy_floor(database_url: str, rows: list[list[str]]) -> float:
    """Seconds to COPY the same contacts (search columns folded in Python) into a copy of the
    contacts table with its indexes."""
    with psycopg.connect(dsn(database_url), autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS floor_contacts")
        conn.execute("CREATE TABLE floor_contacts (LIKE contacts INCLUDING ALL)")
        started = time.monotonic()
        with (
            conn.transaction(),
            conn.cursor() as cur,
            cur.copy(
                "COPY floor_contacts ({}) FROM STDIN".format(", ".join(CONTACT_COLUMNS))
            ) as copy,
        ):
            for _ext, first, last, email, street, postcode, city in rows:
                person = Person(first, last, [email], None, street, "", postcode, city, None)
                copy.write_row(
                    (
                        uuid.uuid4(), first, last, [email], None, street, "", postcode, city,
                        "BE", None, "", person.search_text(), name_words(first, last),
                        sort_key(first, last), 1, None, None,
                    )
                )  # fmt: skip
        elapsed = time.monotonic() - started
        conn.execute("DROP TABLE floor_contacts")
    return elapsed


async def import_file(
    client: httpx.AsyncClient, rows: list[list[str]]
) -> tuple[float, dict[str, Any]]:
    """Posts the rows as a CSV import and waits until the job is done: the seconds to its
    queueing, and the finished job."""
    started = time.monotonic()
    response = await client.post(
        "/contact-imports",
        files={"file": ("import.csv", csv_bytes(rows), "text/csv")},
        data={"mapping": json.dumps(IMPORT_MAPPING)},
        timeout=120,
    )
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    queued = time.monotonic() - started
    while True:
        job: dict[str, Any] = (await client.get(f"/contact-imports/{job_id}")).json()
        if job["status"] == "done":
            return queued, job
        await asyncio.sleep(0.2)


async def bench_import(database_url: str, count: int, chunk_rows: int | None) -> list[str]:
    rows = import_people(count)
    chunking = {} if chunk_rows is None else {"import_chunk_rows": chunk_rows}
    settings = quick_settings(
        Settings,
        database_url,
        f"contacts-depth-{uuid.uuid4().hex[:8]}",
        import_poll_interval_s=0.1,
        **chunking,
    )
    app = create_app(settings)
    async with running_app(app), asgi_client(app, "http://contacts") as client:
        database = Database(database_url, pool_size=1)
        async with database.transaction() as session:
            outbox_before = await session.scalar(text("SELECT count(*) FROM outbox"))
        started = time.monotonic()
        queued, job = await import_file(client, rows)
        done = time.monotonic() - started
        while True:
            async with database.transaction() as session:
                unpublished = await session.scalar(
                    text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                )
                events = await session.scalar(text("SELECT count(*) FROM outbox"))
            if not unpublished:
                break
            await asyncio.sleep(0.2)
        published = time.monotonic() - started
        # The same file again: every row names its contact by external id and finds it
        # unchanged (a club re-importing the federation's monthly file).
        started = time.monotonic()
        _, again = await import_file(client, rows)
        reimported = time.monotonic() - started
        await database.dispose()
    floor = copy_floor(database_url, rows)
    new_events = (events or 0) - (outbox_before or 0)
    return [
        f"import of {count:,} rows: upload checked and queued in {queued:.1f} s; job done"
        f" (contacts + {new_events:,} events in the outbox) in {done:.1f} s"
        f" ({count / done:,.0f} rows/s); every event published on Kafka after {published:.1f} s;"
        f" created {job['created']:,}, refused {job['refused']:,};"
        f" {settings.import_chunk_rows:,} rows a chunk",
        f"the same file again: done in {reimported:.1f} s ({count / reimported:,.0f} rows/s);"
        f" unchanged {again['unchanged']:,}, updated {again['updated']:,},"
        f" created {again['created']:,}",
        f"floor: COPY of the same {count:,} contacts into a copy of the table with its indexes:"
        f" {floor:.1f} s ({count / floor:,.0f} rows/s); ratio {done / floor:.1f}x (goal: < 60 s)",
    ]


async def run(database_url: str, groups: dict[str, uuid.UUID], args: argparse.Namespace) -> None:
    settings = Settings()
    day = SystemClock(settings.organisation_zone).today()
    database = Database(database_url, pool_size=2)
    try:
        print(
            "\n| search | service p50 ms | service p95 ms | floor p50 ms | floor p95 ms |"
            " p95 ratio | same SQL raw p50 ms | same SQL raw p95 ms | p95 ratio | goal |"
            "\n|---|--:|--:|--:|--:|--:|--:|--:|--:|---|"
        )
        for row in await bench_quick(database, args.runs):
            print(row)
        for row in await bench_advanced(
            database, groups, day, settings.organisation_zone, args.runs
        ):
            print(row)
    finally:
        await database.dispose()
    if args.import_rows:
        print()
        for row in await bench_import(database_url, args.import_rows, args.import_chunk_rows):
            print(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument(
        "--import-chunk-rows", type=int, help="rows per transaction (default: the service's)"
    )
    parser.add_argument("--runs", type=int, default=20, help="timed runs per search")
    parser.add_argument("--keep", action="store_true", help="leave the database in place")
    parser.add_argument("--database", help="an already loaded database (left by --keep)")
    args = parser.parse_args()
    os.environ.setdefault("KRING_PG_ADMIN_URL", DEV_ADMIN_URL)
    started = time.monotonic()
    database_url: str = args.database or create_database("contacts_depth")
    try:
        print_machine(database_url)
        if not args.database:
            migrate(ALEMBIC_INI, database_url)
            load(database_url, args.contacts, SystemClock(Settings().organisation_zone).today())
            started_groups = time.monotonic()
            load_groups(database_url)
            print(f"groups loaded in {time.monotonic() - started_groups:.1f} s")
        with psycopg.connect(dsn(database_url)) as conn:
            groups = {
                str(name): uuid.UUID(str(group_id))
                for group_id, name in conn.execute("SELECT id, name FROM groups").fetchall()
            }
        print_sizes(database_url)
        asyncio.run(run(database_url, groups, args))
    finally:
        release_database(database_url, keep=bool(args.keep or args.database))
    print(f"\nwhole run: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
