"""`kringctl import contacts`: a file through the contacts import API, followed live."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from kring_ops.config import Deployment, deployment
from kring_ops.errors import fail, run
from kring_ops.gateway import admin_client, checked
from kring_ops.output import console
from kring_ops.progress import follow

IMPORTS = "/api/v1/contacts/contact-imports"

app = typer.Typer(help="Bulk imports.", no_args_is_help=True)


def _mapping(text: str) -> dict[str, str]:
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError:
        raise typer.BadParameter("not JSON", param_hint="--mapping") from None
    if not isinstance(mapping, dict) or not mapping:
        raise typer.BadParameter('an object, e.g. {"Naam": "last_name"}', param_hint="--mapping")
    return {str(k): str(v) for k, v in mapping.items()}


async def _problem_rows(gateway: Any, job_id: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while True:
        page = checked(
            await gateway.get(
                f"{IMPORTS}/{job_id}/rows",
                params={"outcome": "refused", "limit": 200, "offset": len(rows)},
            )
        )
        rows.extend(page["items"])
        if not page["items"] or len(rows) >= page["total"]:
            return rows


async def _import(
    target: Deployment, file: Path, mapping: dict[str, str], dry_run: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    async with admin_client(target, timeout=120.0) as gateway:
        with file.open("rb") as content:
            job = checked(
                await gateway.post(
                    IMPORTS,
                    files={"file": (file.name, content)},
                    data={"mapping": json.dumps(mapping), "dry_run": str(dry_run).lower()},
                )
            )

        async def fetch() -> dict[str, Any]:
            return dict(checked(await gateway.get(f"{IMPORTS}/{job['id']}")))

        final = await follow(
            f"import {file.name}",
            fetch,
            lambda s: (int(s["rows_done"]), int(s["total_rows"])),
            lambda s: s["status"] in ("done", "failed"),
            console=console,
        )
        return final, await _problem_rows(gateway, job["id"])


def _write_errors(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "reason"])
        writer.writerows([row["row"], row["reason"] or ""] for row in rows)


@app.command()
def contacts(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or XLSX")
    ],
    mapping: Annotated[
        str,
        typer.Option(help='JSON: file column -> contact field, e.g. {"Naam": "last_name"}'),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report only; change nothing")] = False,
    errors_csv: Annotated[
        Path | None, typer.Option(help="Write the refused rows (row, reason) to this CSV")
    ] = None,
) -> None:
    """Upload a file, start the import job and follow it; summarise what became of the rows
    (exit 1 when rows were refused or the job failed)."""
    final, refused = run(_import(deployment(ctx), file, _mapping(mapping), dry_run))
    console.print(
        f"import {final['id']} {final['status']}: {final['created']} created, "
        f"{final['updated']} updated, {final['unchanged']} unchanged, "
        f"{final['duplicates']} duplicate(s), {final['refused']} refused"
    )
    for row in refused[:10]:
        console.print(f"  row {row['row']}: {row['reason']}")
    if errors_csv is not None:
        _write_errors(errors_csv, refused)
        console.print(f"refused rows written to {errors_csv}")
    if final["status"] == "failed":
        raise fail(f"import {final['id']} failed")
    if refused:
        raise fail(f"{len(refused)} row(s) refused")
