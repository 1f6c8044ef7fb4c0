"""Send progress at /metrics: the figures of a campaign being sent, read from its
deliveries; once sent, its series goes. On a database of its own, where no sender runs, so
the campaign stays 'sending' while it is looked at."""

import uuid
from collections.abc import AsyncIterator

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import update

from kring_newsletters.campaigns.campaigns import SendProgressMetrics
from kring_newsletters.db_models import Campaign, Delivery
from kring_platform.db import Database
from kring_platform.testing import migrated_database

from .conftest import ALEMBIC_INI

pytestmark = pytest.mark.integration


@pytest.fixture
async def database() -> AsyncIterator[Database]:
    with migrated_database("newsletters_metrics", ALEMBIC_INI) as url:
        database = Database(url)
        yield database
        await database.dispose()


def figure(name: str, service: str, campaign: uuid.UUID) -> float | None:
    return REGISTRY.get_sample_value(name, {"service": service, "campaign": str(campaign)})


async def test_a_campaign_being_sent_shows_its_progress_until_it_is_sent(
    database: Database,
) -> None:
    campaign_id = uuid.uuid4()
    async with database.transaction() as session:
        session.add(
            Campaign(
                id=campaign_id, subject="News", html_body="<p>Hi</p>", audience={}, status="sending"
            )
        )
        await session.flush()
        for number, status in enumerate(("sent", "sent", "failed", "queued")):
            session.add(
                Delivery(
                    id=uuid.uuid4(),
                    campaign_id=campaign_id,
                    contact_id=uuid.uuid4(),
                    email=f"member{number}@example.org",
                    fields={},
                    status=status,
                )
            )
    service = f"newsletters-{uuid.uuid4().hex[:8]}"
    progress = SendProgressMetrics(service, database)

    await progress()
    assert figure("kring_newsletter_campaign_recipients", service, campaign_id) == 4
    assert figure("kring_newsletter_campaign_sent", service, campaign_id) == 2
    assert figure("kring_newsletter_campaign_failed", service, campaign_id) == 1

    async with database.transaction() as session:
        await session.execute(
            update(Campaign).where(Campaign.id == campaign_id).values(status="sent")
        )
    await progress()
    assert figure("kring_newsletter_campaign_recipients", service, campaign_id) is None
