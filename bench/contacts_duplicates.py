"""Benchmark: the duplicate scan over a million contacts, beside its floor.

Loads N contacts with bench/contacts_search.py's generator (its `load`: COPY, indexes rebuilt,
VACUUM ANALYZE) into a fresh database, gives every contact a birth date, and plants one
duplicate per `--every` live contacts that have an e-mail, a phone and an IBAN, of each
kind in turn: the same e-mail, the same phone,
the same IBAN, a similar name with the same birth date, the same address with a similar name.
Then it times:

- **scan**: the service's own `duplicates.scan` (every candidate pair found, scored and
  ranked; the first page of 50 returned, with the total);
- **floor**: the bare self-join of contacts on each of the same keys in raw SQL, only
  counted (`count(*)` per key: e-mail, phone, IBAN, birth date with the last name's first
  letters, address): no crowded-key cut, no similarity, no dismissals, no scoring, no
  ranking.

Each figure is the median and max of `--runs` runs after one uncounted warm-up, as wall
time and as the CPU time of the Postgres backend (from /proc, when the server runs on this
machine): on a shared machine the wall time includes waiting for other processes, the CPU
time does not. Both run serially (`max_parallel_workers_per_gather = 0`), so the backend's
CPU time is all the work.

    uv run python bench/contacts_duplicates.py [--contacts 1000000] [--every 200] [--keep]
    uv run python bench/contacts_duplicates.py --database <url printed by --keep>  # time only
"""

import argparse
import asyncio
import os
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from contacts_search import (  # the generator and machine report, shared: never copied
    ALEMBIC_INI,
    DEV_ADMIN_URL,
    _secondary_indexes,
    dsn,
    load,
    print_machine,
    release_database,
)
from psycopg import sql
from sqlalchemy import text

from kring_contacts.merges import duplicates
from kring_contacts.merges.duplicate_models import ADDRESS_KEY, LAST_NAME_KEY, PHONE_KEY
from kring_contacts.settings import Settings
from kring_platform.clock import SystemClock
from kring_platform.db import Database
from kring_platform.testing import create_database, migrate

PAGE = 50
KINDS = (
    "same_email",
    "same_phone",
    "same_iban",
    "similar_name_same_birth_date",
    "same_address_similar_name",
)

# Birth dates for every contact (the generator leaves 20% without one): the name reason's
# worst case. Spread over 80 years, from the id: deterministic for a given load.
_BIRTH_DATES = (
    "UPDATE contacts SET birth_date = date '1940-01-01' + abs(hashtext(id::text)) % 29220"
)

# One duplicate per `every` live contacts; the kind cycles. A duplicate keeps only what its
# kind shares with the original, and a name one letter longer ("Peeters" → "Peeterss") where
# the kind is about similar names; the rest is blank, so it matches its original for exactly
# one reason (the generator's random phones and addresses may add a few of their own).
_PLANT = """
INSERT INTO contacts (id, first_name, last_name, emails, phone, street, number, postcode, city,
                      country, iban, birth_date, notes, search_text, name_words, sort_key,
                      version)
SELECT gen_random_uuid(),
       first_name,
       CASE WHEN kind IN (3, 4) THEN last_name || 's' ELSE 'Dup' || kind END,
       CASE WHEN kind = 0 THEN emails ELSE '{}' END,
       CASE WHEN kind = 1 THEN phone END,
       CASE WHEN kind = 4 THEN street END,
       CASE WHEN kind = 4 THEN number END,
       CASE WHEN kind = 4 THEN postcode END,
       CASE WHEN kind = 4 THEN city END,
       country,
       CASE WHEN kind = 2 THEN iban END,
       CASE WHEN kind = 3 THEN birth_date END,
       '', '', '{}',
       CASE WHEN kind IN (3, 4) THEN split_part(sort_key, chr(31), 1) || 's' || chr(31)
                                     || split_part(sort_key, chr(31), 2)
            ELSE 'dup' || kind || chr(31) || split_part(sort_key, chr(31), 2) END,
       1
FROM (
    SELECT c.*, (row_number() OVER (ORDER BY id) / %(every)s) %% 5 AS kind,
           row_number() OVER (ORDER BY id) %% %(every)s AS slot
    FROM contacts AS c
    WHERE deleted_at IS NULL AND emails <> '{}' AND phone IS NOT NULL AND iban IS NOT NULL
) AS source
WHERE slot = 0
RETURNING CASE WHEN emails <> '{}' THEN 0 WHEN phone IS NOT NULL THEN 1
               WHEN iban IS NOT NULL THEN 2 WHEN birth_date IS NOT NULL THEN 3 ELSE 4 END
"""

_LIVE = "deleted_at IS NULL"
# The keys as (id, key) rows, one subquery each: every join below reads contacts twice.
FLOOR_KEYS = {
    "e-mail": f"SELECT c.id, e.key FROM contacts AS c, unnest(c.emails) AS e(key) WHERE c.{_LIVE}",
    "phone": f"SELECT id, {PHONE_KEY} AS key FROM contacts"
    f" WHERE {_LIVE} AND phone IS NOT NULL AND length({PHONE_KEY}) >= 8",
    "IBAN": f"SELECT id, iban AS key FROM contacts WHERE {_LIVE} AND iban IS NOT NULL",
    "birth date + name": f"SELECT id, birth_date::text || left({LAST_NAME_KEY}, 3) AS key"
    f" FROM contacts WHERE {_LIVE} AND birth_date IS NOT NULL",
    "address": f"SELECT id, {ADDRESS_KEY} AS key FROM contacts"
    f" WHERE {_LIVE} AND postcode IS NOT NULL AND street IS NOT NULL",
}
FLOOR_SQL = "SELECT " + ", ".join(
    f"(SELECT count(*) FROM ({keys}) AS a JOIN ({keys}) AS b ON b.key = a.key AND a.id < b.id)"
    for keys in FLOOR_KEYS.values()
)


def plant(database_url: str, every: int) -> Counter[str]:
    """Birth dates for all, then the duplicates; secondary indexes dropped meanwhile (an
    update of every row would otherwise rewrite every index entry, the trigram one too)."""
    with psycopg.connect(dsn(database_url), autocommit=True) as conn:
        indexes = _secondary_indexes(conn, "contacts")
        for name, _ in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        started = time.monotonic()
        conn.execute(_BIRTH_DATES)
        rows = conn.execute(_PLANT, {"every": every}).fetchall()
        planted = Counter(KINDS[kind] for (kind,) in rows)
        print(
            f"birth dates set and {sum(planted.values()):,} duplicates planted"
            f" in {time.monotonic() - started:.1f} s"
        )
        conn.execute("SET maintenance_work_mem = '1GB'")
        started = time.monotonic()
        for _, definition in indexes:
            conn.execute(definition)
        conn.execute("VACUUM ANALYZE contacts")
        print(f"indexes rebuilt, VACUUM ANALYZE in {time.monotonic() - started:.1f} s")
    return planted


def _median_max(figures: list[float]) -> str:
    return f"median {statistics.median(figures):6.2f} s, max {max(figures):6.2f} s"


def backend_cpu_s(pid: int) -> float:
    """CPU seconds the Postgres backend `pid` used so far (user + system), from /proc: on a
    shared machine the wall time waits for other processes, this does not. Only when the
    server runs on this machine; NaN otherwise."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Timings:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


async def time_scan(database_url: str, runs: int) -> tuple[Timings, duplicates.ScanResult]:
    database = Database(database_url, pool_size=1)
    try:
        timings = Timings()
        result = duplicates.ScanResult(pairs=[], total=0)
        for run in range(runs + 1):
            async with database.transaction() as session:
                # Serial, so that the backend's CPU time is all the work (a parallel worker's
                # is not counted in it).
                await session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
                pid = int(await session.scalar(text("SELECT pg_backend_pid()")) or 0)
                cpu, started = backend_cpu_s(pid), time.monotonic()
                result = await duplicates.scan(session, limit=PAGE)
                if run:  # the first run warms the cache and is not counted
                    timings.wall.append(time.monotonic() - started)
                    timings.cpu.append(backend_cpu_s(pid) - cpu)
        return timings, result
    finally:
        await database.dispose()


def time_floor(database_url: str, runs: int) -> tuple[Timings, tuple[Any, ...]]:
    timings = Timings()
    counts: tuple[Any, ...] = ()
    with psycopg.connect(dsn(database_url)) as conn:
        # As the scan runs: no JIT, the same work_mem.
        conn.execute(
            f"SET jit = off; SET work_mem = '{duplicates.SCAN_WORK_MEM}';"
            " SET max_parallel_workers_per_gather = 0"
        )
        for run in range(runs + 1):
            cpu, started = backend_cpu_s(conn.info.backend_pid), time.monotonic()
            row = conn.execute(FLOOR_SQL).fetchone()
            if run:
                timings.wall.append(time.monotonic() - started)
                timings.cpu.append(backend_cpu_s(conn.info.backend_pid) - cpu)
            counts = tuple(row) if row else ()
    return timings, counts


def report(database_url: str, runs: int, planted: Counter[str] | None) -> None:
    with psycopg.connect(dsn(database_url)) as conn:
        live = conn.execute(f"SELECT count(*) FROM contacts WHERE {_LIVE}").fetchone()
    print(f"contacts: {live[0] if live else 0:,} live")
    if planted:
        print("planted:  " + ", ".join(f"{kind} {planted[kind]:,}" for kind in KINDS))
    load_before = os.getloadavg()

    scan, result = asyncio.run(time_scan(database_url, runs))
    floor, counts = time_floor(database_url, runs)
    print(f"\nload average before timing: {' '.join(f'{v:.2f}' for v in load_before)}")
    print(
        f"scan  (duplicates.scan, page of {PAGE}): wall {_median_max(scan.wall)};"
        f" backend CPU {_median_max(scan.cpu)}"
    )
    print(
        f"floor (bare self-join counts):          wall {_median_max(floor.wall)};"
        f" backend CPU {_median_max(floor.cpu)}"
    )
    ratio = statistics.median(scan.wall) / statistics.median(floor.wall)
    cpu_ratio = statistics.median(scan.cpu) / statistics.median(floor.cpu)
    print(f"ratio scan / floor: wall {ratio:.1f}, CPU {cpu_ratio:.1f}")
    print(f"load average after timing: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    joined = ", ".join(f"{kind} {count:,}" for kind, count in zip(FLOOR_KEYS, counts, strict=True))
    print(f"\nfloor joined pairs: {joined}")
    print(f"scan candidate pairs: {result.total:,}")
    if result.pairs:
        found = Counter(reason for pair in result.pairs for reason in pair.reasons)
        print(
            f"first page: scores {result.pairs[0].score}..{result.pairs[-1].score}, {dict(found)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--contacts", type=int, default=1_000_000, help="how many to load")
    parser.add_argument("--every", type=int, default=200, help="one duplicate per N contacts")
    parser.add_argument("--runs", type=int, default=3, help="timed runs after a warm-up")
    parser.add_argument("--keep", action="store_true", help="leave the database in place")
    parser.add_argument("--database", help="time an already loaded database (left by --keep)")
    args = parser.parse_args()
    if args.contacts < 1 or args.every < 1 or args.runs < 1:
        parser.error("--contacts, --every and --runs must be at least 1")
    os.environ.setdefault("KRING_PG_ADMIN_URL", DEV_ADMIN_URL)

    started = time.monotonic()
    database_url: str = args.database or create_database("contacts_dup_bench")
    try:
        print_machine(database_url)
        planted = None
        if not args.database:
            migrate(ALEMBIC_INI, database_url)
            today = SystemClock(Settings().organisation_zone).today()
            load(database_url, args.contacts, today)
            planted = plant(database_url, args.every)
        report(database_url, args.runs, planted)
    finally:
        release_database(database_url, keep=bool(args.keep or args.database))
    print(f"\nwhole run: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
