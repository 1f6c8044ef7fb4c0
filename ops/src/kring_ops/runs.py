"""`kringctl run contribution`: a contribution run through the billing API, followed live."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from kring_ops.config import Deployment, deployment
from kring_ops.errors import fail, run
from kring_ops.gateway import admin_client, checked
from kring_ops.output import console
from kring_ops.progress import follow

RUNS = "/api/v1/billing/contribution-runs"

app = typer.Typer(help="Long-running jobs.", no_args_is_help=True)
contribution = typer.Typer(
    help="Contribution runs: invoices for every member of a period.", no_args_is_help=True
)
app.add_typer(contribution, name="contribution")

PeriodDay = Annotated[str, typer.Option(help="A day of the period to invoice, YYYY-MM-DD")]
ReferenceDay = Annotated[
    str | None, typer.Option(help="Who is a member on this day (default: the period day)")
]


TypeIds = Annotated[
    list[str] | None, typer.Option("--type", help="Only this membership type id (repeatable)")
]


def _body(
    period_day: str, reference_day: str | None, dry_run: bool, type_ids: list[str] | None
) -> dict[str, Any]:
    for name, value in (("--period-day", period_day), ("--reference-day", reference_day)):
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise typer.BadParameter(
                    f"{value!r} is not a day (YYYY-MM-DD)", param_hint=name
                ) from None
    body: dict[str, Any] = {"period_day": period_day, "dry_run": dry_run}
    if reference_day:
        body["reference_day"] = reference_day
    if type_ids:
        body["type_ids"] = type_ids
    return body


async def _post_run(target: Deployment, body: dict[str, Any]) -> dict[str, Any]:
    async with admin_client(target) as gateway:
        return dict(checked(await gateway.post(RUNS, json=body)))


@contribution.command("dry-run")
def dry_run(
    ctx: typer.Context,
    period_day: PeriodDay,
    reference_day: ReferenceDay = None,
    type_ids: TypeIds = None,
) -> None:
    """What a run would invoice, per membership type, and whom it would skip. Changes nothing."""
    preview = run(_post_run(deployment(ctx), _body(period_day, reference_day, True, type_ids)))
    table = Table("type", "period", "fee", "memberships", "total")
    for kind in preview["types"]:
        period = f"{kind['period_start'] or '-'} .. {kind['period_end'] or '-'}"
        fee = f"{kind['fee']} {kind['currency']}" if kind["fee"] is not None else "-"
        table.add_row(kind["name"], period, fee, str(kind["memberships"]), str(kind["total"]))
    console.print(table)
    console.print(f"would invoice {preview['invoices']} membership(s), total {preview['total']}")
    for reason, count in sorted(preview["skipped"].items()):
        console.print(f"would skip {count}: {reason}")


@contribution.command()
def start(
    ctx: typer.Context,
    period_day: PeriodDay,
    reference_day: ReferenceDay = None,
    type_ids: TypeIds = None,
    watch_it: Annotated[bool, typer.Option("--watch", help="Follow it until it ends")] = False,
) -> None:
    """Start a run; prints its id (follow it with `watch`, or here with --watch)."""
    target = deployment(ctx)
    started = run(_post_run(target, _body(period_day, reference_day, False, type_ids)))
    console.print(f"run {started['id']} started: {started['memberships']} membership(s)")
    if watch_it:
        _watch(target, started["id"])


def _run_counts(snapshot: dict[str, Any]) -> tuple[int, int]:
    return int(snapshot["memberships_done"]), int(snapshot["memberships"])


async def _follow_run(target: Deployment, run_id: str, timeout_s: float | None) -> dict[str, Any]:
    async with admin_client(target) as gateway:

        async def fetch() -> dict[str, Any]:
            return dict(checked(await gateway.get(f"{RUNS}/{run_id}")))

        return await follow(
            f"run {run_id[:8]}",
            fetch,
            _run_counts,
            lambda snapshot: snapshot["finished_at"] is not None,
            console=console,
            timeout_s=timeout_s,
        )


def _watch(target: Deployment, run_id: str, timeout_s: float | None = None) -> None:
    final = run(_follow_run(target, run_id, timeout_s))
    console.print(
        f"run {final['id']} {final['status']}: {final['invoices_created']} invoice(s), "
        f"{final['errors']} error(s), skipped {sum(final['skipped'].values())}"
    )
    if final["errors"]:
        raise fail(f"run {final['id']} ended with {final['errors']} error(s)")


@contribution.command()
def watch(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="The run's id")],
    timeout: Annotated[float | None, typer.Option(help="Give up after this many seconds")] = None,
) -> None:
    """A progress bar of the run's memberships done, until it ends (exit 1 if it had errors)."""
    _watch(deployment(ctx), run_id, timeout)
