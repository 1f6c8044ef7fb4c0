"""Letters over the API, against the test stack: a template naming an unknown merge field
is refused when saved (and in a preview of the text being edited); the shipped health
insurer attestation prints exactly the invoices paid in the period, read back from the PDF;
a job for a list of contacts reports progress and gives one PDF (a page per known contact)
or a zip of one PDF per contact."""

import io
import uuid
import zipfile
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pypdf import PdfReader

from kring_contracts.contacts import Address, FamilyCreated, FamilyMemberLinked
from kring_platform.clock import FrozenClock
from kring_platform.testing import eventually

from ..pdf_reading import pdf_text
from .conftest import TODAY
from .helpers import applied, issued_invoice, new_contact, new_membership, new_type
from .kafka_helpers import ContactsFeed, MembershipsFeed

pytestmark = pytest.mark.integration

# A search result in miniature (bench/letters.py renders 1,000).
JOB_SIZE = 25

UNKNOWN_ON_LINE_3 = """<h1>Beste {{ contact.first_name }}</h1>
<p>Welkom!</p>
<p>{{ contact.nickname }} en {{ shoe_size }}</p>
"""


async def shipped(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    listed = await client.get("/letters/templates")
    assert listed.status_code == 200, listed.text
    found = next(row for row in listed.json() if row["key"] == key)
    template = await client.get(f"/letters/templates/{found['id']}")
    body: dict[str, Any] = template.json()
    return body


async def test_a_template_with_an_unknown_field_is_refused_at_save(
    client: httpx.AsyncClient,
) -> None:
    fields = (await client.get("/letters/merge-fields")).json()["fields"]
    assert {"contact", "family", "memberships", "invoices_paid", "organisation"} <= {
        field["name"] for field in fields
    }

    refused = await client.post(
        "/letters/templates", json={"name": "Bad", "html": UNKNOWN_ON_LINE_3}
    )
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    errors = refused.json()["errors"]
    assert [(e["field"], e["line"], e["message"]) for e in errors] == [
        ("html", 3, "unknown merge field 'contact.nickname'"),
        ("html", 3, "unknown merge field 'shoe_size'"),
    ]

    # Saving a shipped template with a bad loop attribute changes nothing.
    welcome = await shipped(client, "welcome")
    bad_loop = welcome["html"] + "{% for i in invoices_paid %}{{ i.amount }}{% endfor %}"
    changed = await client.put(
        f"/letters/templates/{welcome['id']}", json={"name": welcome["name"], "html": bad_loop}
    )
    assert changed.status_code == 422
    assert changed.json()["errors"][0]["message"] == "unknown merge field 'i.amount'"
    assert (await shipped(client, "welcome"))["version"] == welcome["version"]
    fixed = await client.put(
        f"/letters/templates/{welcome['id']}",
        json={"name": welcome["name"], "html": welcome["html"], "css": welcome["css"]},
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["version"] == welcome["version"] + 1

    # The editor's live preview checks the text the same way.
    preview = await client.post("/letters/preview", json={"html": UNKNOWN_ON_LINE_3})
    assert preview.status_code == 422
    assert preview.json()["errors"][0]["line"] == 3

    # A good template is saved and previews with sample data.
    good = UNKNOWN_ON_LINE_3.replace("{{ contact.nickname }} en {{ shoe_size }}", "{{ today|day }}")
    saved = await client.post("/letters/templates", json={"name": "Good", "html": good})
    assert saved.status_code == 201, saved.text
    sample = await client.post("/letters/preview", json={"template_id": saved.json()["id"]})
    assert sample.status_code == 200
    assert "Beste Ann" in pdf_text(sample.content)
    image = await client.post(
        "/letters/preview", json={"template_id": saved.json()["id"], "format": "png"}
    )
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")


async def _invoice_paid(
    client: httpx.AsyncClient,
    clock: FrozenClock,
    contact_id: uuid.UUID,
    price: str,
    payments: list[tuple[str, date]],
) -> dict[str, Any]:
    clock.day = payments[0][1]
    invoice = await issued_invoice(
        client, contact_id, {"description": "Lidgeld", "unit_price": price}
    )
    for amount, paid_on in payments:
        paid = await client.post(
            f"/invoices/{invoice['id']}/payments",
            json={"amount": amount, "paid_on": paid_on.isoformat()},
        )
        assert paid.status_code in (200, 201), paid.text
    return invoice


async def test_the_attestation_shows_the_amounts_paid_in_the_period(
    app: FastAPI,
    client: httpx.AsyncClient,
    clock: FrozenClock,
    today: date,
    contacts_feed: ContactsFeed,
    memberships_feed: MembershipsFeed,
) -> None:
    contact_id = await new_contact(app, contacts_feed, "Lotte")
    family_id = uuid.uuid4()
    await applied(
        app,
        await contacts_feed.publish(
            FamilyCreated(family_id=family_id, name="Familie Peeters", address=Address()),
            subject=family_id,
        ),
    )
    await applied(
        app,
        await contacts_feed.send(
            FamilyMemberLinked(contact_id=contact_id, family_id=family_id, role="child")
        ),
    )
    type_id = await new_type(app, memberships_feed, f"Jeugd {uuid.uuid4().hex[:6]}")
    await new_membership(app, memberships_feed, contact_id, type_id, date(2025, 9, 1))
    before = await _invoice_paid(
        client, clock, contact_id, "90.00", [("90.00", date(2025, 12, 20))]
    )
    first = await _invoice_paid(client, clock, contact_id, "150.00", [("150.00", date(2026, 2, 3))])
    # Paid in two parts, the second after the period: only the first counts.
    split = await _invoice_paid(
        client, clock, contact_id, "80.00", [("30.00", date(2026, 6, 1)), ("50.00", TODAY)]
    )
    clock.day = TODAY

    attestation = await shipped(client, "attestation")
    preview = await client.post(
        "/letters/preview",
        json={
            "template_id": attestation["id"],
            "contact_id": str(contact_id),
            "period_start": "2026-01-01",
            "period_end": "2026-08-31",
        },
    )
    assert preview.status_code == 200, preview.text
    text = pdf_text(preview.content)
    assert "Lotte Peeters" in text
    assert f"{first['number']} Lidgeld 03/02/2026 € 150,00" in text
    assert f"{split['number']} Lidgeld 01/06/2026 € 30,00" in text
    assert "Totaal betaald € 180,00" in text
    assert before["number"] not in text
    assert "01/01/2026 tot 31/08/2026" in text

    # The family read model (from kring.contacts.v1) reaches the welcome letter.
    welcome = await shipped(client, "welcome")
    letter = await client.post(
        "/letters/preview", json={"template_id": welcome["id"], "contact_id": str(contact_id)}
    )
    assert "hele familie Familie Peeters" in pdf_text(letter.content)


async def _job_until_done(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    started = await client.post("/letters/jobs", json=body)
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    seen: list[int] = []

    async def progress() -> dict[str, Any]:
        job: dict[str, Any] = (await client.get(f"/letters/jobs/{job_id}")).json()
        seen.append(job["done"])
        return job

    done: dict[str, Any] = await eventually(
        progress, until=lambda job: job["status"] in ("done", "failed"), timeout=120
    )
    assert done["status"] == "done", done
    assert seen == sorted(seen)
    return done


async def test_a_job_renders_a_list_of_contacts_as_one_pdf_or_a_zip(
    app: FastAPI, client: httpx.AsyncClient, contacts_feed: ContactsFeed
) -> None:
    contact_ids = [await new_contact(app, contacts_feed, f"Lid{n:02d}") for n in range(JOB_SIZE)]
    unknown = uuid.uuid4()
    welcome = await shipped(client, "welcome")
    body = {"template_id": welcome["id"], "contact_ids": [str(c) for c in [*contact_ids, unknown]]}

    early = await client.post("/letters/jobs", json=body)
    not_yet = await client.get(f"/letters/jobs/{early.json()['id']}/download")
    assert not_yet.status_code in (200, 409)

    job = await _job_until_done(client, body)
    assert (job["total"], job["done"], job["rendered"]) == (JOB_SIZE + 1, JOB_SIZE + 1, JOB_SIZE)
    download = await client.get(job["download_url"])
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(download.content)).pages
    assert len(pages) == JOB_SIZE
    # In the order asked for, one letter per page.
    assert "Beste Lid00" in pages[0].extract_text()
    assert f"Beste Lid{JOB_SIZE - 1:02d}" in pages[-1].extract_text()

    zipped = await _job_until_done(
        client, {**body, "contact_ids": body["contact_ids"][:3], "output_format": "zip"}
    )
    archive = zipfile.ZipFile(io.BytesIO((await client.get(zipped["download_url"])).content))
    assert archive.namelist() == [
        "0001-lid00-peeters.pdf",
        "0002-lid01-peeters.pdf",
        "0003-lid02-peeters.pdf",
    ]
    assert "Beste Lid01" in pdf_text(archive.read("0002-lid01-peeters.pdf"))

    assert (await client.get(f"/letters/jobs/{uuid.uuid4()}")).status_code == 404
    refused = await client.post("/letters/jobs", json={**body, "contact_ids": []})
    assert refused.status_code == 422
