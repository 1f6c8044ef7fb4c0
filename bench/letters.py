"""Benchmark: a letter job for a search result of 1,000 contacts, against a fresh billing
database on the Postgres of KRING_PG_ADMIN_URL (no Kafka, no HTTP).

    eval "$(./kring env)" && uv run python bench/letters.py [--contacts 1000]
        [--template attestation]

Seeds N contacts, a membership each and two paid invoices each by SQL, then runs the job as
`POST /letters/jobs` does (`create_job`, then `JobRunner.run`: merge data in batches, one
render per contact, one combined PDF) and prints pages per second. Beside it the **floor**:
WeasyPrint rendering the first contact's letter as a static HTML page (no template, no
database) N times, and pypdf joining them — the least this way of making PDFs costs.
"""

import argparse
import asyncio
import io
import os
import platform
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import weasyprint
from pypdf import PdfReader
from sqlalchemy import select, text

from kring_billing.letters import engine
from kring_billing.letters.jobs import JobRequest, JobRunner, combined_pdf, create_job
from kring_billing.letters.merge_data import Period, merge_contexts
from kring_billing.letters.models import LetterJob, LetterTemplateRow
from kring_billing.settings import Settings
from kring_platform.db import Database
from kring_platform.testing import migrated_database

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "services/billing/alembic.ini"
PERIOD = Period(date(2026, 1, 1), date(2026, 12, 31))
TODAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)

SEED = """
INSERT INTO membership_types (id, name, billing_period) VALUES (:type_id, 'Senior', 'yearly');
INSERT INTO fee_versions (type_id, valid_from, amount) VALUES (:type_id, '2020-01-01', 120);
INSERT INTO contacts (id, first_name, last_name, email, street, number, postcode, city, known)
SELECT md5('c' || n)::uuid, 'Lid' || n, 'Peeters', 'lid' || n || '@example.org',
       'Kerkstraat', n::text, '9000', 'Gent', true
FROM generate_series(1, :n) AS n;
INSERT INTO memberships (id, contact_id, type_id, start_date)
SELECT md5('m' || n)::uuid, md5('c' || n)::uuid, :type_id, '2025-09-01'
FROM generate_series(1, :n) AS n;
INSERT INTO invoices (id, status, contact_id, number, year, sequence_number, issue_date,
                      due_date, total_net, total, paid_amount)
SELECT md5('i' || k)::uuid, 'paid', md5('c' || ((k + 1) / 2))::uuid,
       '2026-' || lpad(k::text, 6, '0'), 2026, k, '2026-02-01', '2026-03-01', 60, 60, 60
FROM generate_series(1, 2 * :n) AS k;
INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price,
                           net_amount, vat_amount)
SELECT md5('i' || k)::uuid, 1, 'Lidgeld (deel ' || (2 - k % 2) || ')', 1, 60, 60, 0
FROM generate_series(1, 2 * :n) AS k;
INSERT INTO payments (id, invoice_id, amount, paid_on, method)
SELECT md5('p' || k)::uuid, md5('i' || k)::uuid, 60, '2026-02-15'::date + (k % 90), 'cash'
FROM generate_series(1, 2 * :n) AS k;
"""


async def seed(database: Database, n: int) -> list[uuid.UUID]:
    async with database.transaction() as session:
        values = {"n": n, "type_id": uuid.uuid4()}
        for statement in filter(str.strip, SEED.split(";")):
            await session.execute(text(statement), values)
        ids = await session.scalars(text("SELECT id FROM contacts ORDER BY last_name, first_name"))
        return list(ids)


async def timed_job(
    database: Database, settings: Settings, ids: list[uuid.UUID], key: str
) -> float:
    async with database.transaction() as session:
        template = await session.scalar(
            select(LetterTemplateRow).where(LetterTemplateRow.key == key)
        )
        assert template is not None
        job = await create_job(session, JobRequest(template.id, ids, PERIOD, "pdf"), NOW)
    started = time.perf_counter()
    await JobRunner(database, settings).run(job.id, TODAY)
    elapsed = time.perf_counter() - started
    async with database.transaction() as session:
        done = await session.get(LetterJob, job.id)
        assert done is not None and done.status == "done", done and done.error
        pages = len(PdfReader(io.BytesIO(done.output or b"")).pages)
    print(
        f"job:   {pages} pages in {elapsed:.1f} s = {pages / elapsed:.1f} pages/s "
        f"({len(done.output or b'') / 1e6:.1f} MB PDF)"
    )
    return elapsed


async def static_page(database: Database, settings: Settings, first: uuid.UUID, key: str) -> str:
    async with database.transaction() as session:
        template = await session.scalar(
            select(LetterTemplateRow).where(LetterTemplateRow.key == key)
        )
        assert template is not None
        contexts = await merge_contexts(session, [first], PERIOD, TODAY, settings)
    html = engine.render_html(engine.LetterTemplate(template.html), contexts[first])
    return f"<style>{template.css}</style>{html}"


def timed_floor(html: str, n: int) -> float:
    started = time.perf_counter()
    pages = [weasyprint.HTML(string=html).write_pdf() for _ in range(n)]
    joined = combined_pdf(pages)
    elapsed = time.perf_counter() - started
    print(
        f"floor: {len(PdfReader(io.BytesIO(joined)).pages)} static pages in {elapsed:.1f} s "
        f"= {n / elapsed:.1f} pages/s"
    )
    return elapsed


async def main(n: int, key: str) -> None:
    with migrated_database("bench_letters", ALEMBIC_INI) as url:
        database = Database(url)
        settings = Settings(database_url=url)
        try:
            started = time.perf_counter()
            ids = await seed(database, n)
            seeding = time.perf_counter() - started
            print(f"seeded {n} contacts, {2 * n} paid invoices in {seeding:.1f} s")
            job = await timed_job(database, settings, ids, key)
            floor = timed_floor(await static_page(database, settings, ids[0], key), n)
            print(
                f"job / floor: {job / floor:.2f}; load average {os.getloadavg()[0]:.1f} "
                f"on {os.cpu_count()} cores; {platform.python_version()}"
            )
        finally:
            await database.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--template", default="attestation")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.contacts, arguments.template))
