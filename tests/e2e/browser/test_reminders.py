"""Payment reminders in a browser, as the treasurer: the levels set (level 1 after 10 days; an
unknown placeholder is shown at its field first), a dry run shows the overdue invoice with
its level, the run is sent from the keyboard (focus moves to its progress) and ends with the
reminder sent on the invoice's row and in the latest runs, and the invoice page shows the
reminder in its history. Screenshots: web/test-results/reminders-*.png. The invoice is made
overdue by moving its due date back in billing's database (the services run on the real
clock)."""

import uuid
from datetime import date, timedelta

import psycopg
import pytest
from playwright.sync_api import Page, expect

from kring_gateway.roles import Role
from kring_stack.postgres import sqlalchemy_url

from ..conftest import RunningSystem
from .conftest import Api, check_accessibility, messages, sign_in
from .test_billing import issued_invoice

NL = messages("nl")

pytestmark = pytest.mark.e2e


def backdate(system: RunningSystem, invoice_id: str, due: date) -> None:
    url = sqlalchemy_url(system.profile, system.databases["billing"])
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        conn.execute("UPDATE invoices SET due_date = %s WHERE id = %s", (due, invoice_id))


def test_the_treasurer_sets_levels_runs_reminders_and_sees_the_history(
    page: Page, api: Api, system: RunningSystem
) -> None:
    tag = uuid.uuid4().hex[:6]
    address = f"rik.{tag}@example.org"
    contact = api.contact("Rik", f"Herinnering{tag}", emails=[address])
    invoice = issued_invoice(api, contact["id"])
    backdate(system, invoice["id"], date.today() - timedelta(days=12))

    sign_in(page, api.login_of(Role.TREASURER))
    page.goto("/reminders")
    levels = page.locator(
        "section.card", has=page.get_by_role("heading", name=NL["reminders.levels.title"])
    )
    first = levels.get_by_role("group", name=NL["reminders.levelN"].format(level=1))
    first.get_by_label(NL["reminders.levels.days"]).fill("10")
    # An unknown placeholder is refused and shown at its field, in its level.
    subject = first.get_by_label(NL["reminders.levels.subject"])
    subject_text = subject.input_value()
    subject.fill(subject_text + " {shoe_size}")
    levels.get_by_role("button", name=NL["reminders.levels.save"]).click()
    expect(subject).to_have_attribute("aria-invalid", "true")
    expect(first.locator(".field-error")).to_contain_text("shoe_size")
    subject.fill(subject_text)
    levels.get_by_role("button", name=NL["reminders.levels.save"]).click()
    expect(levels.get_by_role("status")).to_have_text(NL["reminders.levels.saved"])
    expect(subject).to_have_attribute("aria-invalid", "false")

    run = page.locator(
        "section.card", has=page.get_by_role("heading", name=NL["reminders.run.title"])
    )
    run.get_by_role("button", name=NL["reminders.run.dryRun"]).click()
    row = run.get_by_role("row", name=invoice["number"])
    expect(row).to_contain_text(NL["reminders.levelN"].format(level=1))
    check_accessibility(page, "reminders-dry-run")
    # Sent from the keyboard; the focus moves on to the progress, which runs to the end.
    run.get_by_role("button", name=NL["reminders.run.send"].format(count=1)).focus()
    page.keyboard.press("Enter")
    expect(run.locator(".rm-progress")).to_be_focused()
    expect(run.get_by_text("Klaar:")).to_be_visible(timeout=30_000)
    expect(row).to_contain_text(NL["reminders.statuses.sent"])
    runs = page.locator(
        "section.card", has=page.get_by_role("heading", name=NL["reminders.runs.title"])
    )
    expect(runs.get_by_role("row").nth(1)).to_contain_text(NL["reminders.runs.status.done"])
    check_accessibility(page, "reminders-run-done")

    page.goto(f"/invoices/{invoice['id']}")
    history = page.locator(
        "section.card", has=page.get_by_role("heading", name=NL["reminders.history.title"])
    )
    reminded = history.get_by_role("row", name=NL["reminders.levelN"].format(level=1))
    expect(reminded).to_contain_text(NL["reminders.statuses.sent"])
    expect(reminded).to_contain_text(address)
    check_accessibility(page, "reminders-invoice-history")
