"""Newsletter sending throughput: one campaign to N recipients through the local SMTP sink.

Creates a fresh newsletters database (migrated), loads N contacts subscribed to one list
straight into it with COPY (the read model as the consumer would have built it), then:

1. floor: raw aiosmtplib sends of the same kind of message to the same sink, over the same
   number of connections, nothing else (no database, no personalisation);
2. campaign: the service's own sender loop (`CampaignSender`: resolve the audience, claim
   batches, personalise, mark each mail sent) until the campaign is sent.

Prints mails per second and wall time of both, checks the maildir holds one mail per
recipient, then deletes the bench's mails and database (unless --keep).

    ./kring up --profile test --no-services && eval "$(./kring env --profile test)"
    uv run python bench/newsletter_send.py [--recipients 50000] [--connections 4]
"""

import argparse
import asyncio
import io
import os
import time
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import aiosmtplib
import psycopg

from kring_newsletters.db_models import Campaign
from kring_newsletters.sending.sender import CampaignSender
from kring_newsletters.settings import Settings
from kring_newsletters.unsubscribe.links import UnsubscribeLinks
from kring_platform.db import Database
from kring_platform.testing import Maildir, create_database, drop_database, migrate
from kring_stack.profiles import get_profile
from kring_stack.smtp_sink import smtp_sink_pid

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "services/newsletters/alembic.ini"
HTML = (
    '<html><body><h1>Season news</h1><p>Dear {{ first_name | default("member") }} '
    "{{ last_name }},</p><p>The new season starts on Saturday. Training times, the "
    "tournament calendar and the volunteers' rota are on the website.</p><ul><li>U8-U12: "
    "Saturday 9:00</li><li>U14-U18: Saturday 11:00</li></ul><p>Your membership: "
    '{{ membership_type | default("none") }}.</p><p><a href="{{ unsubscribe_url }}">'
    "Unsubscribe</a></p></body></html>"
)


async def load_recipients(dsn: str, count: int, domain: str) -> uuid.UUID:
    """N known contacts, all subscribed to one list; returns the list id."""
    list_id = uuid.uuid4()
    async with await psycopg.AsyncConnection.connect(dsn) as conn:
        await conn.execute(
            "INSERT INTO mailing_lists (id, name, name_linking, version) VALUES (%s, %s, true, 1)",
            (list_id, f"bench {domain}"),
        )
        contacts, subscriptions = io.StringIO(), io.StringIO()
        for i in range(count):
            contact_id = uuid.uuid4()
            contacts.write(f"{contact_id}\tMember{i}\tBench\tmember{i}@{domain}\tt\n")
            subscriptions.write(f"{uuid.uuid4()}\t{list_id}\t{contact_id}\tt\tt\tgroup\t1\n")
        async with conn.cursor() as cursor:
            copy_contacts = "COPY contacts (id, first_name, last_name, email, known) FROM STDIN"
            async with cursor.copy(copy_contacts) as copy:
                await copy.write(contacts.getvalue())
            copy_subscriptions = (
                "COPY subscriptions (id, list_id, contact_id, via_group, active, source, version)"
                " FROM STDIN"
            )
            async with cursor.copy(copy_subscriptions) as copy:
                await copy.write(subscriptions.getvalue())
        await conn.execute("ANALYZE")
    return list_id


def floor_message(index: int, domain: str) -> tuple[str, bytes]:
    to = f"floor{index}@{domain}"
    message = EmailMessage(policy=SMTP)
    message["From"] = "Kring <news@club.example>"
    message["To"] = to
    message["Subject"] = "Season news"
    message["Message-ID"] = f"<floor.{index}@club.example>"
    message.set_content("Dear member, the new season starts on Saturday.\n" * 8)
    message.add_alternative(HTML, subtype="html")
    return to, message.as_bytes()


async def floor(settings: Settings, count: int, connections: int, domain: str) -> float:
    """Raw aiosmtplib: messages prepared in advance, `connections` clients in parallel."""
    messages = [floor_message(i, domain) for i in range(count)]
    queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
    for item in messages:
        queue.put_nowait(item)

    async def client() -> None:
        smtp = aiosmtplib.SMTP(hostname=settings.smtp_host, port=settings.smtp_port)
        async with smtp:
            while not queue.empty():
                to, raw = queue.get_nowait()
                await smtp.sendmail("news@club.example", [to], raw)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    return time.perf_counter() - started


async def campaign(settings: Settings, list_id: uuid.UUID) -> tuple[float, float, int]:
    """The service's sender until the campaign is sent: (resolve s, total s, recipients)."""
    database = Database(settings.database_url)
    campaign_id = uuid.uuid4()
    async with database.transaction() as session:
        session.add(
            Campaign(
                id=campaign_id,
                subject="Season news for {{ first_name }}",
                html_body=HTML,
                audience={"list_ids": [str(list_id)], "contact_ids": [], "family_ids": []},
                status="scheduled",
                send_at=datetime.now(UTC),
            )
        )
    links = UnsubscribeLinks(settings.unsubscribe_secret.get_secret_value(), "http://bench")
    sender = CampaignSender(database, settings, links)
    stop = asyncio.Event()
    started = time.perf_counter()
    running = asyncio.create_task(sender.run(stop))
    resolved = None
    try:
        while True:
            await asyncio.sleep(0.05)
            async with database.transaction() as session:
                row = await session.get(Campaign, campaign_id, populate_existing=True)
                assert row is not None
            if resolved is None and row.status != "scheduled":
                resolved = time.perf_counter() - started
            if row.status == "sent":
                return resolved or 0.0, time.perf_counter() - started, row.recipients or 0
            if running.done():
                running.result()
    finally:
        stop.set()
        await running
        await database.dispose()


def sink_cpu_s() -> float | None:
    """CPU seconds the stack's SMTP sink process has used so far (None if not found)."""
    pid = smtp_sink_pid(get_profile())
    if pid is None:
        return None
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_note(mails: int, own_s: float, sink_s: float | None, wall_s: float) -> str:
    """Where the CPU went, per 1,000 mails, and how busy the sink was."""
    note = f"this process {own_s / mails * 1000:.2f} s CPU per 1,000 mails"
    if sink_s is not None:
        note += (
            f", the sink {sink_s / mails * 1000:.2f} s per 1,000 mails"
            f" (busy {sink_s / wall_s:.0%} of the wall time)"
        )
    return note


def remove_mails(maildir: Maildir, domain: str) -> int:
    removed = 0
    suffix = f"@{domain}"
    for file in list(maildir.files()):
        head = file.read_bytes()[:2000].decode("ascii", "replace")
        if suffix in head:
            file.unlink()
            removed += 1
    return removed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--recipients", type=int, default=50_000)
    parser.add_argument("--floor-mails", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--rate", type=float, default=0.0, help="mails/s limit, 0 for none")
    parser.add_argument("--keep", action="store_true", help="keep the database and the mails")
    args = parser.parse_args()

    run = uuid.uuid4().hex[:8]
    domain = f"bench-{run}.example.org"
    maildir = Maildir()
    url = create_database("newsletters_bench")
    try:
        migrate(ALEMBIC_INI, url)
        settings = Settings(
            database_url=url,
            smtp_host=os.environ.get("SMTP_HOST", "127.0.0.1"),
            smtp_port=int(os.environ.get("SMTP_PORT", "2526")),
            smtp_pool_size=args.connections,
            send_rate_per_s=args.rate,
            send_batch_size=args.batch,
            send_poll_interval_s=0.1,
            mail_from="Kring Club <news@club.example>",
        )
        loaded = time.perf_counter()
        list_id = await load_recipients(settings.psycopg_dsn, args.recipients, domain)
        loaded_s = time.perf_counter() - loaded
        print(f"loaded {args.recipients:,} subscribed contacts in {loaded_s:.1f} s")
        print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores)")

        sink_before, own_before = sink_cpu_s(), time.process_time()
        floor_s = await floor(settings, args.floor_mails, args.connections, domain)
        floor_rate = args.floor_mails / floor_s
        floor_cpu = cpu_note(
            args.floor_mails,
            time.process_time() - own_before,
            _spent(sink_before, sink_cpu_s()),
            floor_s,
        )
        print(
            f"floor (raw aiosmtplib, {args.connections} connections): {args.floor_mails:,} mails"
            f" in {floor_s:.1f} s = {floor_rate:,.0f} mails/s"
        )
        print(f"  {floor_cpu}")
        sink_before, own_before = sink_cpu_s(), time.process_time()
        resolve_s, total_s, recipients = await campaign(settings, list_id)
        rate = recipients / total_s
        campaign_cpu = cpu_note(
            recipients, time.process_time() - own_before, _spent(sink_before, sink_cpu_s()), total_s
        )
        print(
            f"campaign ({args.connections} connections, batches of {args.batch}): {recipients:,}"
            f" mails in {total_s:.1f} s = {rate:,.0f} mails/s (audience resolved in"
            f" {resolve_s:.1f} s); {rate / floor_rate:.0%} of the floor"
        )
        print(f"  {campaign_cpu}")
        counts = maildir.recipients_count(domain)
        campaign_mails = {a: n for a, n in counts.items() if a.startswith("member")}
        twice = sum(1 for n in campaign_mails.values() if n > 1)
        print(
            f"maildir: {len(campaign_mails):,} campaign recipients, {twice} with more than one mail"
        )
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        if not args.keep:
            drop_database(url)
            print(f"removed {remove_mails(maildir, domain):,} bench mails")


def _spent(before: float | None, after: float | None) -> float | None:
    return after - before if before is not None and after is not None else None


if __name__ == "__main__":
    asyncio.run(main())
