"""A campaign to 5,000 contacts survives a kill -9 of the newsletters service mid-send:
after the restart everyone has exactly one mail in the SMTP sink's maildir."""

import asyncio
from typing import Any

import httpx
import pytest

from kring_platform.testing import Maildir, eventually

from .conftest import RunningSystem
from .newsletter_seed import people, publish_contacts

pytestmark = pytest.mark.e2e

RECIPIENTS = 5_000


# Seeding 5,000 contacts through three services' consumers is slow on a busy machine.
@pytest.mark.timeout(900)
async def test_a_send_killed_midway_resumes_and_mails_everyone_exactly_once(
    system: RunningSystem, unique: str
) -> None:
    domain = f"crash-{unique}.example.org"
    persons = people(RECIPIENTS, domain)
    maildir = Maildir()
    await publish_contacts(persons)

    async with system.client("newsletters", timeout=30.0) as newsletters:
        created = await newsletters.post(
            "/campaigns",
            json={
                "subject": "Season news for {{ first_name }}",
                "html_body": '<p>Dear {{ first_name | default("member") }}, the season opens.</p>',
                "audience": {"contact_ids": [str(p.contact_id) for p in persons]},
            },
        )
        assert created.status_code == 201, created.text
        campaign = created.json()["id"]

        async def audience() -> int:
            response = await newsletters.get(f"/campaigns/{campaign}/audience")
            return int(response.json()["recipients"])

        await eventually(audience, until=lambda n: n == RECIPIENTS, timeout=300, interval=1.0)
        sending = await newsletters.post(f"/campaigns/{campaign}/send")
        assert sending.status_code == 202, sending.text

        # Kill it once a good part is out, well before the end.
        before_kill = await eventually(
            lambda: _report(newsletters, campaign),
            until=lambda r: r["sent"] >= RECIPIENTS // 5,
            timeout=60,
            interval=0.05,
        )
        await asyncio.to_thread(system.kill, "newsletters")
    assert before_kill["sent"] < RECIPIENTS, "the send ended before the kill: nothing was tested"

    await asyncio.to_thread(system.start, "newsletters")
    async with system.client("newsletters", timeout=30.0) as newsletters:
        report = await eventually(
            lambda: _report(newsletters, campaign),
            until=lambda r: r["status"] == "sent",
            timeout=120,
            interval=0.5,
        )
    assert report["recipients"] == RECIPIENTS and report["sent"] == RECIPIENTS
    assert report["failed"] == 0 and report["progress"] == 1.0

    counts = await eventually(
        lambda: maildir.recipients_count(domain),
        until=lambda c: sum(c.values()) >= RECIPIENTS,
        timeout=30,
    )
    twice = {address: n for address, n in counts.items() if n != 1}
    assert twice == {}, f"{len(twice)} recipients got more than one mail: {list(twice)[:5]}"
    assert set(counts) == {p.email for p in persons}


async def _report(newsletters: httpx.AsyncClient, campaign: str) -> dict[str, Any]:
    response = await newsletters.get(f"/campaigns/{campaign}")
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()["report"]
    return report
