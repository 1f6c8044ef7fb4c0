"""Benchmark: quick search over a million contacts, beside the floor the design names.

Creates a fresh database on the Postgres of KRING_PG_ADMIN_URL (default: the dev profile's,
after `./kring up`), migrates it with the contacts service's Alembic, loads N generated
contacts with COPY (secondary indexes dropped for the load and rebuilt after it, then VACUUM
ANALYZE) and membership rows for ~30% of them, then times a fixed list of queries:

- through the service's own `quick_search.search_contacts` (limit 20), then the page's membership
  summaries as the API reads them (`contact_views.contact_summaries`);
- the floor, in the same run on the same index: `SELECT id FROM contacts WHERE deleted_at IS
  NULL AND search_text LIKE '%<token>%' [AND ...] LIMIT 20`, one LIKE per normalised token
  of the query (`deleted_at IS NULL` because the trigram index is partial on it), planned for
  its own patterns (for a common fragment Postgres rightly prefers a sequential scan that
  stops at the 20th row; for a rare one the trigram index);
- the "same query" floor the issue names: the service's own statement (both candidate sets
  and the ranking of the page), compiled once and run through the bare psycopg connection —
  what the search costs Postgres, without SQLAlchemy and the ORM at run time;

and the first page of the contact list with its total. Each figure is the median and max of
`--runs` runs after one uncounted warm-up; the whole timing part repeats `--rounds` times
(the machine may be shared, so compare rounds before trusting a figure). A first hit that
differed between the runs of one query is marked "[k firsts]".

    uv run python bench/contacts_search.py [--contacts 1000000] [--keep]
    uv run python bench/contacts_search.py --database <url printed by --keep>  # time only

The database is dropped at the end unless --keep (or --database) is given.
"""

import argparse
import asyncio
import os
import platform
import random
import statistics
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import ClauseElement, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.contacts.contacts import list_contacts
from kring_contacts.contacts.views import contact_summaries
from kring_contacts.db_models import Contact
from kring_contacts.memberships.status import MemberFilter
from kring_contacts.search import quick_search
from kring_contacts.search.search_text import (
    contact_search_text,
    fold,
    like_pattern,
    matches_anywhere,
    name_words,
    search_tokens,
    sort_key,
)
from kring_contacts.settings import Settings
from kring_platform.clock import SystemClock
from kring_platform.db import Database
from kring_platform.testing import create_database, drop_database, migrate

DEV_ADMIN_URL = "postgresql://kring@127.0.0.1:55432/postgres"
ALEMBIC_INI = Path(__file__).resolve().parent.parent / "services/contacts/alembic.ini"
SEARCH_LIMIT = 20
LIST_LIMIT = 50

# --- generated data --------------------------------------------------------------------------
# Names are drawn with a long tail (common names often, ~1,400 composed surnames rarely), so a
# common name matches tens of thousands of contacts and a rare one a few hundred.

FIRST_NAMES = (
    "Jan", "Marie", "Piet", "Anna", "Lucas", "Emma", "Noah", "Louise", "Arthur", "Julie",
    "Tom", "Sarah", "Liam", "Olivia", "Ann", "Jens", "Sofie", "Bram", "Lotte", "Wout",
    "Nina", "Jana", "Lars", "José", "Mohamed", "Fatima", "Annabel", "Joanna", "Éléonore",
    "Søren", "Hélène", "François", "Chloé", "Zoë", "Inès", "Maël", "Björn", "Łukasz", "Ayşe",
    "Thibault", "Kobe", "Lien", "Stijn", "Yasmine", "Elif", "Mathis", "Camille", "Rune",
    "Nathan", "Victor",
)  # fmt: skip
COMMON_LAST_NAMES = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Dubois", "Lambert", "Dupont", "Martin", "Leclercq", "Hermans",
    "Aerts", "Smets", "Verhoeven", "Van Damme", "Van den Broeck", "García", "Müller",
    "Vermeulen", "Desmet", "Michiels", "Coppens", "Lemaire", "Renard", "Stevens", "Pauwels",
    "Cools", "Dumont", "Martens", "Wuyts", "Segers", "Hendrickx", "Claeys", "Öztürk", "Nowak",
)  # fmt: skip
_PREFIXES = ("", "Van ", "Van den ", "Van de ", "De ", "Ver", "Le ", "Du ")
_ROOTS = (
    "Acker", "Berg", "Bosch", "Dyck", "Eycken", "Hove", "Kerckhove", "Linden", "Meulen",
    "Mol", "Poel", "Steen", "Velde", "Wal", "Wouw", "Roy", "Hout", "Camp", "Bruggen",
    "Moortel", "Daele", "Cauter", "Gucht", "Bael", "Straeten",
)  # fmt: skip
_SUFFIXES = ("", "s", "e", "man", "ckx", "ens", "ghem")
COMPOSED_LAST_NAMES = tuple(
    sorted(
        {
            prefix + (root if not prefix or prefix.endswith(" ") else root.lower()) + suffix
            for prefix in _PREFIXES
            for root in _ROOTS
            for suffix in _SUFFIXES
        }
    )
)
PLACES = (
    ("9000", "Gent"), ("2000", "Antwerpen"), ("1000", "Brussel"), ("1000", "Bruxelles"),
    ("3000", "Leuven"), ("8000", "Brugge"), ("7000", "Mons"), ("4000", "Liège"),
    ("3500", "Hasselt"), ("5000", "Namur"), ("6000", "Charleroi"), ("8400", "Oostende"),
    ("8500", "Kortrijk"), ("2800", "Mechelen"), ("9300", "Aalst"), ("9100", "Sint-Niklaas"),
    ("3600", "Genk"), ("8800", "Roeselare"), ("7500", "Tournai"), ("7100", "La Louvière"),
    ("1300", "Wavre"), ("6700", "Arlon"), ("1410", "Waterloo"), ("8900", "Ieper"),
    ("2300", "Turnhout"), ("2500", "Lier"), ("9200", "Dendermonde"), ("1500", "Halle"),
    ("1800", "Vilvoorde"), ("3300", "Tienen"), ("2440", "Geel"), ("4800", "Verviers"),
)  # fmt: skip
STREETS = (
    "Kerkstraat", "Stationsstraat", "Molenstraat", "Dorpsstraat", "Nieuwstraat",
    "Schoolstraat", "Veldstraat", "Kouter", "Grote Markt", "Sint-Jansstraat", "Beekstraat",
    "Kapelstraat", "Rue de l'Église", "Rue du Moulin", "Chaussée de Bruxelles",
    "Avenue Louise", "Rue de la Station", "Place du Marché", "Boulevard d'Avroy",
    "Steenweg op Gent", "Lindenlaan", "Bosstraat", "Hoogstraat", "Meir", "Rue Haute",
)  # fmt: skip
EMAIL_DOMAINS = ("example.org", "example.be", "example.com", "mail.example.net")
MEMBERSHIP_TYPES = (
    ("Senior", 50),
    ("Youth", 25),
    ("Family", 15),
    ("Supporter", 8),
    ("Honorary", 2),
)
MEMBER_SHARE = 0.30  # of contacts with memberships (current or past)
DELETED_SHARE = 0.01  # soft-deleted contacts, outside every partial index

# The sample contact, at a fixed place in the load, has every field, with accents and values no
# generated contact has (its phone prefix and IBAN are outside the generated ranges), so the
# queries derived from it are about a known row whatever N is.


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    emails: list[str]
    phone: str | None
    street: str
    number: str
    postcode: str
    city: str
    iban: str | None

    def search_text(self) -> str:
        return contact_search_text(
            first_name=self.first_name,
            last_name=self.last_name,
            emails=self.emails,
            phone=self.phone,
            street=self.street,
            number=self.number,
            postcode=self.postcode,
            city=self.city,
            iban=self.iban,
        )


SAMPLE = Person(
    first_name="Éléonore",
    last_name="Van den Broeck",
    emails=["eleonore.vandenbroeck@example.be"],
    phone="+32 465 31 72 90",
    street="Rue de l'Église",
    number="17",
    postcode="4000",
    city="Liège",
    iban="BE68539007547034",
)


def _zipf_cumulative(count: int) -> list[float]:
    total, cumulative = 0.0, []
    for rank in range(count):
        total += 1 / (rank + 1)
        cumulative.append(total)
    return cumulative


def _uuid(rnd: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rnd.getrandbits(128), version=4)


def _belgian_iban(rnd: random.Random) -> str:
    account = rnd.randrange(10**10)
    bban = f"{account:010d}{(account % 97) or 97:02d}"
    check = 98 - int(bban + "111400") % 97  # "BE" as digits, then "00"
    return f"BE{check:02d}{bban}"


CONTACT_COLUMNS = (
    "id", "first_name", "last_name", "emails", "phone", "street", "number", "postcode", "city",
    "country", "iban", "notes", "search_text", "name_words", "sort_key", "version", "deleted_at",
    "birth_date",
)  # fmt: skip
MEMBERSHIP_COLUMNS = ("id", "contact_id", "type_id", "start_date", "end_date")


def contact_rows(
    n: int, sample_index: int, member_ids: list[uuid.UUID]
) -> Iterator[tuple[Any, ...]]:
    """N contacts as COPY rows (deterministic); appends the ids of future members."""
    rnd = random.Random(42)
    # Birth dates from a stream of their own, so the other values stay those of earlier runs:
    # 80% known, ages 0 to 89 (the advanced search's age ranges, `contacts_depth.py`).
    births = random.Random(45)
    first_cum = _zipf_cumulative(len(FIRST_NAMES))
    last_cum = _zipf_cumulative(len(COMMON_LAST_NAMES))
    deleted_at = datetime(2024, 6, 1, tzinfo=UTC)
    for index in range(n):
        contact_id = _uuid(rnd)
        if index == sample_index:
            person = SAMPLE
            deleted = False
        else:
            first = rnd.choices(FIRST_NAMES, cum_weights=first_cum)[0]
            if rnd.random() < 0.6:
                last = rnd.choices(COMMON_LAST_NAMES, cum_weights=last_cum)[0]
            else:
                last = rnd.choice(COMPOSED_LAST_NAMES)
            postcode, city = rnd.choice(PLACES)
            local = f"{fold(first)}.{fold(last).replace(' ', '')}{index}"
            person = Person(
                first_name=first,
                last_name=last,
                emails=[f"{local}@{rnd.choice(EMAIL_DOMAINS)}"] if rnd.random() < 0.85 else [],
                phone=(
                    f"+32 4{rnd.randint(70, 99)} {rnd.randint(10, 99)} {rnd.randint(10, 99)}"
                    f" {rnd.randint(10, 99)}"
                    if rnd.random() < 0.7
                    else None
                ),
                street=rnd.choice(STREETS),
                number=str(rnd.randint(1, 250)),
                postcode=postcode,
                city=city,
                iban=_belgian_iban(rnd) if rnd.random() < 0.4 else None,
            )
            deleted = rnd.random() < DELETED_SHARE
        if index == sample_index or (not deleted and rnd.random() < MEMBER_SHARE):
            member_ids.append(contact_id)
        first_name, last_name = person.first_name, person.last_name
        yield (
            contact_id,
            first_name,
            last_name,
            person.emails,
            person.phone,
            person.street,
            person.number,
            person.postcode,
            person.city,
            "BE",
            person.iban,
            "",
            person.search_text(),
            name_words(first_name, last_name),
            sort_key(first_name, last_name),
            1,
            deleted_at if deleted else None,
            date(1936, 1, 1) + timedelta(days=births.randrange(32_870))
            if births.random() < 0.8
            else None,
        )


def membership_rows(
    member_ids: Sequence[uuid.UUID], type_ids: Sequence[uuid.UUID], today: date
) -> Iterator[tuple[Any, ...]]:
    """1 to 8 consecutive seasons (1 Sep - 31 Aug) per member; two thirds still run (half of
    those open-ended), the others ended one to five seasons ago. Types change now and then."""
    rnd = random.Random(43)
    weights = [weight for _, weight in MEMBERSHIP_TYPES]
    current = today.year if today.month >= 9 else today.year - 1
    for contact_id in member_ids:
        seasons = rnd.randint(1, 8)
        last = current if rnd.random() < 2 / 3 else current - rnd.randint(1, 5)
        type_id = rnd.choices(type_ids, weights)[0]
        for year in range(last - seasons + 1, last + 1):
            if rnd.random() < 0.1:
                type_id = rnd.choices(type_ids, weights)[0]
            open_ended = year == current and rnd.random() < 0.5
            end = None if open_ended else date(year + 1, 8, 31)
            yield (_uuid(rnd), contact_id, type_id, date(year, 9, 1), end)


# --- load ------------------------------------------------------------------------------------


def _secondary_indexes(conn: psycopg.Connection[Any], table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's indexes that back no constraint."""
    rows = conn.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
        " JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = %s::regclass"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)"
        " ORDER BY i.relname",
        (table,),
    ).fetchall()
    return [(str(name), str(definition)) for name, definition in rows]


def _copy(
    conn: psycopg.Connection[Any], table: str, columns: Sequence[str], rows: Iterator[Any]
) -> int:
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def dsn(database_url: str) -> str:
    """The SQLAlchemy URL as psycopg takes it."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def release_database(database_url: str, *, keep: bool) -> None:
    """Drops the bench's database, or keeps it and prints how to time it again."""
    if keep:
        print(f"\nkept: --database {database_url}")
    else:
        drop_database(database_url)


def load(database_url: str, n: int, today: date) -> None:
    with psycopg.connect(dsn(database_url), autocommit=True) as conn:
        indexes = _secondary_indexes(conn, "contacts") + _secondary_indexes(conn, "memberships")
        for name, _ in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))

        started = time.monotonic()
        member_ids: list[uuid.UUID] = []
        with conn.transaction():
            count = _copy(
                conn, "contacts", CONTACT_COLUMNS, contact_rows(n, n * 2 // 3, member_ids)
            )
        elapsed = time.monotonic() - started
        print(f"loaded {count:,} contacts in {elapsed:.1f} s ({count / elapsed:,.0f}/s)")

        started = time.monotonic()
        type_rng = random.Random(44)
        types = [(_uuid(type_rng), name) for name, _ in MEMBERSHIP_TYPES]
        with conn.transaction():
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO membership_types (id, name) VALUES (%s, %s)", types)
            rows = membership_rows(member_ids, [type_id for type_id, _ in types], today)
            count = _copy(conn, "memberships", MEMBERSHIP_COLUMNS, rows)
        print(
            f"loaded {count:,} memberships of {len(member_ids):,} contacts"
            f" in {time.monotonic() - started:.1f} s"
        )

        conn.execute("SET maintenance_work_mem = '1GB'")
        started = time.monotonic()
        for name, definition in indexes:
            built = time.monotonic()
            conn.execute(definition)
            print(f"  index {name} built in {time.monotonic() - built:.1f} s")
        print(f"indexes rebuilt in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        conn.execute("VACUUM ANALYZE contacts")
        conn.execute("VACUUM ANALYZE memberships")
        conn.execute("VACUUM ANALYZE membership_types")
        print(f"VACUUM ANALYZE in {time.monotonic() - started:.1f} s")


# --- the machine -----------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def print_machine(database_url: str) -> None:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load_avg = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"date:     {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"machine:  {os.cpu_count()} cores ({_cpu_model()}), {memory:.0f} GiB RAM,"
        f" {platform.system()} {platform.release()}, Python {platform.python_version()};"
        f" load average {load_avg}"
    )
    with psycopg.connect(dsn(database_url)) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        settings = conn.execute(
            "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)"
            " FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem',"
            " 'maintenance_work_mem', 'effective_cache_size', 'jit', 'max_parallel_workers')"
        ).fetchone()
    print(f"postgres: {version[0] if version else '?'} ({settings[0] if settings else '?'})")
    print(f"database: {database_url.rsplit('@', 1)[-1]}")


def print_sizes(database_url: str) -> None:
    with psycopg.connect(dsn(database_url)) as conn:
        rows = conn.execute(
            "SELECT relname, pg_size_pretty(pg_relation_size(oid)) FROM pg_class"
            " WHERE relname IN ('contacts', 'memberships', 'ix_contacts_search_text_trgm',"
            " 'ix_contacts_name_words', 'ix_contacts_sort_key') ORDER BY relname"
        ).fetchall()
        live = conn.execute(
            "SELECT count(*) FILTER (WHERE deleted_at IS NULL), count(*) FROM contacts"
        ).fetchone()
    print("sizes:    " + ", ".join(f"{name} {size}" for name, size in rows))
    if live:
        print(f"contacts: {live[1]:,} ({live[0]:,} live)")


# --- timing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    text: str


def bench_queries() -> list[BenchQuery]:
    """A fixed list: common and rare names, parts of words, accents, every field."""
    email = SAMPLE.emails[0]
    local = email.split("@")[0]
    phone = SAMPLE.phone or ""
    iban = SAMPLE.iban or ""
    spaced_iban = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return [
        BenchQuery("first name", "jan"),
        BenchQuery("full name", "Jan Peeters"),
        BenchQuery("last name", "peeters"),
        BenchQuery("last name, 3 words", "van den broeck"),
        BenchQuery("rare composed name", "vermoortelghem"),
        BenchQuery("partial name", "janss"),
        BenchQuery("partial name", "eeter"),
        BenchQuery("partial names", "jan pe"),
        BenchQuery("accents", "José García"),
        BenchQuery("accents typed without", "jose garcia"),
        BenchQuery("accents", "søren müller"),
        BenchQuery("name + city, accents", f"{SAMPLE.first_name} {SAMPLE.last_name} {SAMPLE.city}"),
        BenchQuery("postcode", "9000"),
        BenchQuery("city", "gent"),
        BenchQuery("city, accent", "liège"),
        BenchQuery("street + number", "kerkstraat 12"),
        BenchQuery("street + number, sample", f"{SAMPLE.street} {SAMPLE.number}"),
        BenchQuery("e-mail, sample", email),
        BenchQuery("e-mail local part", local),
        BenchQuery("e-mail fragment", local[3:-2]),
        BenchQuery("e-mail domain", "example.be"),
        BenchQuery("phone as typed, sample", phone),
        BenchQuery("phone digits, sample", phone.replace(" ", "")[5:]),
        BenchQuery("phone, national form, sample", "0" + phone[4:]),
        BenchQuery("phone fragment", "470 12"),
        BenchQuery("IBAN compact, sample", iban),
        BenchQuery("IBAN with spaces, sample", spaced_iban),
        BenchQuery("IBAN fragment", iban[4:10]),
        BenchQuery("short", "a"),
        BenchQuery("short", "an"),
        BenchQuery("short", "li"),
        BenchQuery("short", "q"),
        BenchQuery("short, no match", "xq"),
        BenchQuery("long + short", "jan xq"),
        BenchQuery("long + short", "van d"),
        BenchQuery("no match", "zzqx"),
        BenchQuery("no match, long", "qwertyuiop"),
    ]


@dataclass(frozen=True)
class Samples:
    ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    @property
    def max(self) -> float:
        return max(self.ms)


@dataclass(frozen=True)
class QueryResult:
    query: BenchQuery
    search: Samples
    summaries: Samples
    floor: Samples
    floor_rows: int
    same_query: Samples
    candidates: int
    complete: bool
    first_hit: str

    @property
    def ratio(self) -> float:
        return self.search.median / self.floor.median if self.floor.median else float("inf")

    @property
    def same_ratio(self) -> float:
        same = self.same_query.median
        return self.search.median / same if same else float("inf")


def floor_sql(tokens: Sequence[str]) -> tuple[str, dict[str, str]]:
    """The design's floor for a query: every token `LIKE '%token%'`, 20 rows, no ranking."""
    likes = " AND ".join(f"search_text LIKE :p{i} ESCAPE '\\'" for i in range(len(tokens)))
    statement = f"SELECT id FROM contacts WHERE deleted_at IS NULL AND {likes} LIMIT :limit"
    return statement, {f"p{i}": like_pattern(token) for i, token in enumerate(tokens)}


def _compiled(statement: ClauseElement, dialect: Dialect) -> tuple[str, dict[str, Any]]:
    compiled = statement.compile(dialect=dialect)
    return compiled.string, dict(compiled.params)


async def same_query_raw(session: AsyncSession, tokens: list[str], limit: int) -> float:
    """The service's statement for `tokens`, compiled, then run through the bare driver:
    the seconds of the run alone."""
    connection = await session.connection()
    sql, params = _compiled(
        quick_search.search_statement(tokens, limit=limit, offset=0), connection.dialect
    )
    driver = (await connection.get_raw_connection()).driver_connection
    assert isinstance(driver, psycopg.AsyncConnection)
    started = time.perf_counter()
    async with driver.cursor() as cursor:
        await cursor.execute(quick_search.STABLE_SCANS)
        await cursor.execute(sql, params)
        await cursor.fetchall()
    return time.perf_counter() - started


def _first_hit(contacts: Sequence[Contact]) -> str:
    """The first hit's name, and where the sample contact is on the page (if it is)."""
    if not contacts:
        return "-"
    name = f"{contacts[0].first_name} {contacts[0].last_name}"
    place = next(
        (rank for rank, c in enumerate(contacts, 1) if list(c.emails) == SAMPLE.emails), None
    )
    if place == 1:
        return f"{name} (sample)"
    return f"{name} (sample #{place})" if place else name


async def time_query(database: Database, query: BenchQuery, day: date, runs: int) -> QueryResult:
    search_ms: list[float] = []
    summary_ms: list[float] = []
    floor_ms: list[float] = []
    same_ms: list[float] = []
    tokens = search_tokens(query.text)
    statement, params = floor_sql(tokens)
    found: quick_search.SearchResult | None = None
    first_hits: set[str] = set()
    floor_rows = 0
    for run in range(runs + 1):  # run 0 warms up and is not counted
        async with database.transaction() as session:
            started = time.perf_counter()
            found = await quick_search.search_contacts(
                session, query.text, limit=SEARCH_LIMIT, offset=0
            )
            searched = time.perf_counter()
            await contact_summaries(session, found.contacts, day)
            summarised = time.perf_counter()
        first_hits.add(_first_hit(found.contacts))
        if run:
            search_ms.append((searched - started) * 1000)
            summary_ms.append((summarised - searched) * 1000)
        if not tokens:
            continue
        async with database.transaction() as session:
            # The floor is the plan for these very patterns: psycopg prepares a statement run
            # five times, and Postgres' generic plan for `LIKE $1 AND LIKE $2` (the same text
            # for every two-token query) gathers every match in a bitmap before the LIMIT.
            await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
            started = time.perf_counter()
            result = await session.execute(text(statement), {**params, "limit": SEARCH_LIMIT})
            floor_rows = len(result.all())
            elapsed = time.perf_counter() - started
        if run:
            floor_ms.append(elapsed * 1000)
        async with database.transaction() as session:
            elapsed = await same_query_raw(session, tokens, SEARCH_LIMIT)
        if run:
            same_ms.append(elapsed * 1000)
    assert found is not None
    return QueryResult(
        query=query,
        search=Samples(search_ms),
        summaries=Samples(summary_ms),
        floor=Samples(floor_ms or [0.0]),
        floor_rows=floor_rows,
        same_query=Samples(same_ms or [0.0]),
        candidates=found.candidates,
        complete=found.complete,
        first_hit=_first_hit(found.contacts)
        + (f" [{len(first_hits)} firsts]" if len(first_hits) > 1 else ""),
    )


@dataclass(frozen=True)
class ListResult:
    label: str
    page: Samples
    total: int


async def time_list(
    database: Database, label: str, day: date, runs: int, members: MemberFilter | None
) -> ListResult:
    page_ms: list[float] = []
    total = 0
    for run in range(runs + 1):
        async with database.transaction() as session:
            started = time.perf_counter()
            listing = await list_contacts(session, limit=LIST_LIMIT, offset=0, members=members)
            await contact_summaries(session, listing.items, day)
            elapsed = (time.perf_counter() - started) * 1000
        total = listing.total
        if run:
            page_ms.append(elapsed)
    return ListResult(label=label, page=Samples(page_ms), total=total)


def _tokens_note(query: BenchQuery) -> str:
    tokens = search_tokens(query.text)
    return "" if any(matches_anywhere(token) for token in tokens) else " †"


def print_round(number: int, results: Sequence[QueryResult], lists: Sequence[ListResult]) -> None:
    print(f"\n### Round {number}\n")
    print(
        "| query | kind | search med / max ms | summaries med ms"
        " | floor med / max ms | ratio | same query raw med ms | ratio | ranked | first hit |"
    )
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|---|")
    for r in results:
        ranked = f"{r.candidates}{'' if r.complete else '+'}"
        print(
            f"| `{r.query.text}`{_tokens_note(r.query)} | {r.query.kind}"
            f" | {r.search.median:.1f} / {r.search.max:.1f} | {r.summaries.median:.1f}"
            f" | {r.floor.median:.1f} / {r.floor.max:.1f} ({r.floor_rows})"
            f" | {r.ratio:.1f} | {r.same_query.median:.1f} | {r.same_ratio:.1f}"
            f" | {ranked} | {r.first_hit} |"
        )
    print()
    for item in lists:
        print(
            f"{item.label}: median {item.page.median:.1f} ms, max {item.page.max:.1f} ms,"
            f" total {item.total:,}"
        )


def print_summary(rounds: Sequence[Sequence[QueryResult]]) -> None:
    """One line per query with every round's medians side by side."""
    heads = " | ".join(f"search r{i + 1}" for i in range(len(rounds)))
    floors = " | ".join(f"floor r{i + 1}" for i in range(len(rounds)))
    ratios = " | ".join(f"ratio r{i + 1}" for i in range(len(rounds)))
    print(f"\n### Medians (ms) of every round\n\n| query | {heads} | {floors} | {ratios} |")
    print("|---" + "|--:" * 3 * len(rounds) + "|")
    for index, first in enumerate(rounds[0]):
        row = [r[index] for r in rounds]
        print(
            f"| `{first.query.text}`{_tokens_note(first.query)} | "
            + " | ".join(f"{r.search.median:.1f}" for r in row)
            + " | "
            + " | ".join(f"{r.floor.median:.1f}" for r in row)
            + " | "
            + " | ".join(f"{r.ratio:.1f}" for r in row)
            + " |"
        )


async def run_timings(database_url: str, rounds: int, runs: int) -> None:
    day = SystemClock(Settings().organisation_zone).today()
    print(
        f"\nsearch: `quick_search.search_contacts(limit={SEARCH_LIMIT})`; summaries: the page's"
        f" membership on {day}; floor: `LIKE '%token%' [AND ...] LIMIT {SEARCH_LIMIT}` through"
        f" the same driver; ratio = search / floor (medians of {runs} runs after a warm-up)."
        " ranked: candidates ranked, + when a candidate set was full."
        " floor (n): rows the floor returned."
        " †: every token shorter than 3 characters, the service matches word starts (regex)."
    )
    database = Database(database_url, pool_size=2)
    try:
        all_rounds: list[list[QueryResult]] = []
        for number in range(1, rounds + 1):
            started = time.monotonic()
            results = [await time_query(database, q, day, runs) for q in bench_queries()]
            lists = [
                await time_list(database, "contact list, first page + total", day, runs, None),
                await time_list(
                    database,
                    "contact list member=true, first page + total",
                    day,
                    runs,
                    MemberFilter(day=day),
                ),
            ]
            print_round(number, results, lists)
            print(f"(round {number} took {time.monotonic() - started:.0f} s)")
            all_rounds.append(results)
        if rounds > 1:
            print_summary(all_rounds)
    finally:
        await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--contacts", type=int, default=1_000_000, help="how many to load")
    parser.add_argument("--keep", action="store_true", help="leave the database in place")
    parser.add_argument("--rounds", type=int, default=2, help="repeat the timing part")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query and round")
    parser.add_argument(
        "--database", help="time an already loaded database (left by --keep) instead of loading"
    )
    args = parser.parse_args()
    if args.contacts < 1 or args.rounds < 1 or args.runs < 1:
        parser.error("--contacts, --rounds and --runs must be at least 1")
    os.environ.setdefault("KRING_PG_ADMIN_URL", DEV_ADMIN_URL)

    started = time.monotonic()
    database_url: str = args.database or create_database("contacts_bench")
    try:
        print_machine(database_url)
        if not args.database:
            migrate(ALEMBIC_INI, database_url)
            load(database_url, args.contacts, SystemClock(Settings().organisation_zone).today())
        print_sizes(database_url)
        asyncio.run(run_timings(database_url, args.rounds, args.runs))
    finally:
        release_database(database_url, keep=bool(args.keep or args.database))
    print(f"\nwhole run: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
