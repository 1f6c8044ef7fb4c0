"""An event billing cannot apply is parked in the DLQ and the consumer goes on."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from kring_billing.main import create_app
from kring_billing.settings import Settings
from kring_contracts import MEMBERSHIPS_TOPIC, Envelope, dlq_topic
from kring_contracts.memberships import MembershipRegistered
from kring_platform.testing import (
    kafka_bootstrap_servers,
    migrated_database,
    read_from_start,
    runtime_of,
    wait_applied,
)

from .conftest import ALEMBIC_INI, TODAY, service_settings
from .kafka_helpers import MembershipsFeed

pytestmark = pytest.mark.integration


@pytest.fixture
def own_database_url() -> Iterator[str]:
    with migrated_database("billing_dlq_test", ALEMBIC_INI) as url:
        yield url


async def test_a_bad_event_goes_to_the_dlq_and_the_consumer_goes_on(
    own_database_url: str, memberships_feed: MembershipsFeed
) -> None:
    # An app of its own (the shared one checks that nothing was dead-lettered), on a
    # database of its own (so the shared app's relay is not kept waiting for its leader).
    settings: Settings = await service_settings(own_database_url, consumer_max_attempts=2)
    dlq = dlq_topic(MEMBERSHIPS_TOPIC, settings.consumer_group)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(dlq, 1, 1)])
    finally:
        await admin.close()
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        # A well-formed envelope whose data does not validate (no such day).
        contact_id, membership_id = uuid.uuid4(), uuid.uuid4()
        registered = MembershipRegistered(
            membership_id=membership_id,
            contact_id=contact_id,
            type_id=uuid.uuid4(),
            start_date=TODAY,
            end_date=None,
            member_number="M1",
        )
        bad = Envelope(
            id=uuid.uuid4(),
            source="/kring/memberships",
            type=registered.event_type,
            time=datetime.now(UTC),
            subject=str(membership_id),
            sequence=1,
            data={**registered.model_dump(mode="json"), "start_date": "2026-02-30"},
        )
        await memberships_feed.deliver(bad, key=contact_id)
        marker = str(bad.id).encode()
        parked = await read_from_start(
            dlq, until=lambda records: any(marker in (r.value or b"") for r in records)
        )
        assert any(marker in (r.value or b"") for r in parked), "not parked in the DLQ"

        # The consumer is not stuck behind it: the next event of the same key is applied.
        good = await memberships_feed.register(contact_id, uuid.uuid4(), TODAY)
        await wait_applied(app, good)
        assert runtime_of(app).consumers[0].stats.outcomes["dead_lettered"] == 1
