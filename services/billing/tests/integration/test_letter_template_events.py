"""A letter template's life on `kring.billing.v1`: made, changed and deleted, each with its
event (subject and key the template id, sequence its version) from the same transaction; a
refused save or delete publishes nothing."""

import httpx
import pytest

from kring_platform.testing import eventually

from .kafka_helpers import BillingEvents
from .test_letters import shipped

pytestmark = pytest.mark.integration

GOOD = "<h1>Beste {{ contact.first_name }}</h1>\n<p>{{ today|day }}</p>\n"
UNKNOWN_FIELD = "<p>{{ contact.shoe_size }}</p>"


async def test_saves_and_a_delete_are_published_refusals_are_not(
    client: httpx.AsyncClient, published: BillingEvents
) -> None:
    made = await client.post("/letters/templates", json={"name": "Uitnodiging", "html": GOOD})
    assert made.status_code == 201, made.text
    template_id = made.json()["id"]

    refused = await client.put(
        f"/letters/templates/{template_id}", json={"name": "Kapot", "html": UNKNOWN_FIELD}
    )
    assert refused.status_code == 422, refused.text
    changed = await client.put(
        f"/letters/templates/{template_id}", json={"name": "Uitnodiging BBQ", "html": GOOD}
    )
    assert changed.status_code == 200, changed.text

    # A shipped template (the default reminder levels send it) is not deleted.
    reminder_letter = await shipped(client, "payment_reminder")
    kept = await client.delete(f"/letters/templates/{reminder_letter['id']}")
    assert kept.status_code == 409, kept.text
    assert kept.headers["content-type"] == "application/problem+json"

    deleted = await client.delete(f"/letters/templates/{template_id}")
    assert deleted.status_code == 204, deleted.text
    assert (await client.get(f"/letters/templates/{template_id}")).status_code == 404
    assert (await client.delete(f"/letters/templates/{template_id}")).status_code == 404

    # The relay publishes in commit order: once the delete is out, so is anything before it.
    events = await eventually(
        lambda: published.about(template_id),
        until=lambda found: any(e.type.endswith(".deleted") for e in found),
    )
    assert [(e.type, e.sequence) for e in events] == [
        ("kring.billing.letter_template.saved", 1),
        ("kring.billing.letter_template.saved", 2),
        ("kring.billing.letter_template.deleted", 3),
    ]
    assert [e.data.get("created") for e in events[:2]] == [True, False]
    assert [e.data["name"] for e in events] == ["Uitnodiging", "Uitnodiging BBQ", "Uitnodiging BBQ"]
    assert published.keys_of(template_id) == {template_id}
    assert {e.source for e in events} == {"/kring/billing"}
    # The refused delete of the shipped template left it unchanged and unpublished.
    assert published.about(reminder_letter["id"]) == []
    assert (await shipped(client, "payment_reminder"))["version"] == reminder_letter["version"]
