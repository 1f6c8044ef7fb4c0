"""Benchmark: the gateway's CPU per aggregated contact profile in-process, beside its floor
(issue #17).

The gateway app runs in this process on a database of its own, in front of stand-in services
(httpx's MockTransport answering each section's route with a canned JSON answer of a real
answer's size, at once). An admin logs in; then `GET /api/v1/contacts/{id}/profile` is called
over httpx's ASGI transport, one after another, counting this process's CPU time
(`time.process_time`). The floor, in the same run: the same six section calls made straight
through httpx to the same stand-ins, concurrently, as the gateway's fan-out makes them —
what the profile costs with no gateway around it.

    eval "$(./kring env --profile test)" && uv run python bench/gateway_cpu.py [--profiles 2000]

Needs only Postgres (`KRING_PG_ADMIN_URL`); the database it makes is dropped at the end.
"""

import argparse
import asyncio
import json
import logging
import uuid
from pathlib import Path
from typing import Any

import httpx
from proc_cpu import CpuFigure, timed
from pydantic import SecretStr

from kring_gateway.main import create_app
from kring_gateway.roles import Role
from kring_gateway.schemas import UserCreate
from kring_gateway.settings import Settings
from kring_gateway.state import Gateway
from kring_platform.testing import migrated_database

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "services/gateway/alembic.ini"
PASSWORD = "a long enough bench password"
CONTACT = uuid.uuid4()


def _contact() -> dict[str, Any]:
    address = {"street": "Kerkstraat", "number": "12", "postal_code": "9000", "city": "Gent"}
    return {
        "id": str(CONTACT),
        "kind": "person",
        "first_name": "Fien",
        "last_name": "Janssens",
        "email": "fien.janssens@example.org",
        "phone": "+32 470 12 34 56",
        "birth_date": "1984-03-02",
        "language": "nl",
        "addresses": [{**address, "country": "BE", "kind": "home"}],
        "bank_accounts": [{"iban": "BE68539007547034", "holder": "Fien Janssens"}],
        "notes": "",
        "version": 7,
        "created_at": "2026-01-02T10:00:00Z",
        "updated_at": "2026-11-30T16:12:00Z",
    }


def _page(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"items": items, "total": len(items), "limit": 50, "offset": 0}


# What each section's service answers: as large as a real answer of a member of a few
# groups with one membership, two subscriptions and an open invoice.
ANSWERS: dict[str, dict[str, Any]] = {
    f"/contacts/{CONTACT}": _contact(),
    f"/contacts/{CONTACT}/groups": _page(
        [{"id": str(uuid.uuid4()), "name": f"Groep {i}", "kind": "static"} for i in range(4)]
    ),
    f"/contacts/{CONTACT}/memberships": _page(
        [
            {
                "id": str(uuid.uuid4()),
                "contact_id": str(CONTACT),
                "membership_type": "Senior",
                "status": "active",
                "starts_on": "2025-01-01",
                "ends_on": None,
                "fee_rate": "45.00",
                "history": [{"status": "active", "at": "2025-01-01T00:00:00Z"}],
            }
        ]
    ),
    f"/contacts/{CONTACT}/access": {
        "contact_id": str(CONTACT),
        "rights": [{"name": "clubhouse", "source": "Senior"}],
    },
    f"/contacts/{CONTACT}/subscriptions": _page(
        [{"mailing_list_id": str(uuid.uuid4()), "name": f"Nieuwsbrief {i}"} for i in range(2)]
    ),
    f"/contacts/{CONTACT}/open-items": {
        "contact_id": str(CONTACT),
        "open_total": "45.00",
        "items": [{"invoice_id": str(uuid.uuid4()), "number": "2026-00042", "open": "45.00"}],
    },
}
BODIES = {path: json.dumps(answer).encode() for path, answer in ANSWERS.items()}


def stand_in(request: httpx.Request) -> httpx.Response:
    body = BODIES.get(request.url.path)
    if body is None:
        return httpx.Response(404, json={"title": "Not found", "status": 404})
    return httpx.Response(200, content=body, headers={"content-type": "application/json"})


SERVICES = ("contacts", "newsletters", "memberships", "billing")
SECTION_CALLS = (  # (service, path): the gateway's SECTIONS
    ("contacts", f"/contacts/{CONTACT}"),
    ("contacts", f"/contacts/{CONTACT}/groups"),
    ("memberships", f"/contacts/{CONTACT}/memberships"),
    ("memberships", f"/contacts/{CONTACT}/access"),
    ("newsletters", f"/contacts/{CONTACT}/subscriptions"),
    ("billing", f"/contacts/{CONTACT}/open-items"),
)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="profile and floor, alternately")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # a log line per call is neither the gateway's work nor floor
    transports = {name: httpx.MockTransport(stand_in) for name in SERVICES}
    with migrated_database("bench_gateway_cpu", ALEMBIC_INI) as url:
        settings = Settings(
            database_url=url,
            gateway_identity_key=SecretStr("bench-identity-key-0123456789"),
            token_signing_key=SecretStr("bench-token-signing-key-0123456789abcdef"),
            password_time_cost=1,
            password_memory_kib=1024,
            password_parallelism=1,
            web_dir=None,
        )
        app = create_app(settings, transports=transports)
        async with app.router.lifespan_context(app):
            gateway: Gateway = app.state.gateway
            email = f"bench-{uuid.uuid4().hex[:8]}@example.org"
            await gateway.accounts.create_user(
                UserCreate(email=email, password=PASSWORD, roles=[Role.ADMIN])
            )
            asgi = httpx.ASGITransport(app, client=("127.0.0.1", 40000))
            async with (
                httpx.AsyncClient(transport=asgi, base_url="http://gateway") as client,
                httpx.AsyncClient(transport=transports["contacts"], base_url="http://s") as raw,
            ):
                login = {"email": email, "password": PASSWORD}
                token = (await client.post("/api/v1/auth/login", json=login)).json()
                client.headers["Authorization"] = f"Bearer {token['access_token']}"
                figures = await _rounds(client, raw, args.profiles, args.rounds)
    for figure in figures:
        print(figure.line())


async def _rounds(
    client: httpx.AsyncClient, raw: httpx.AsyncClient, count: int, rounds: int
) -> list[CpuFigure]:
    async def profile(_: int) -> None:
        answer = await client.get(f"/api/v1/contacts/{CONTACT}/profile")
        if answer.status_code != 200 or answer.json()["open_invoices"]["status"] != "ok":
            raise RuntimeError(f"{answer.status_code}: {answer.text[:300]}")

    async def floor(_: int) -> None:
        # One client for every stand-in: the transport answers by path alone.
        answers = await asyncio.gather(*(raw.get(path) for _, path in SECTION_CALLS))
        for answer in answers:
            answer.json()

    await timed("warm-up", 20, profile)
    await timed("warm-up", 20, floor)
    figures = []
    for _ in range(rounds):
        figures.append(await timed("profile through the gateway", count, profile))
        figures.append(await timed("floor: the six section calls, bare httpx", count, floor))
    return figures


if __name__ == "__main__":
    asyncio.run(main())
