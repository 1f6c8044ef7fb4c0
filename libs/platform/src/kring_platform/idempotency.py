"""Idempotent POSTs: a client's `Idempotency-Key` makes a retried request book once.

The client sends a fresh key per action (a dialog's submit, say); a retry or a double
click sends the same key again. The first request claims the key, does its work and stores
its answer, all in one transaction; a later request with the same key and the same body
gets that stored answer (status and body) and changes nothing; the same key with another
body is refused with 422 problem+json. Keys are scoped by route, resource and caller, so two
users (or two invoices) never share one.

A concurrent duplicate waits on the unique key of the row the first one inserted, and once
that transaction commits it reads the stored answer; if the first one rolled back (its
booking failed), the duplicate claims the key itself and tries the work again. Only answers
of committed work are stored: a refused request (404, 409, 422, …) stores nothing, and
sending it again is evaluated afresh.

```python
@router.post("/{invoice_id}/payments", status_code=201, responses=IDEMPOTENCY_RESPONSES)
async def register_payment(invoice_id: uuid.UUID, body: PaymentCreate, runtime: RuntimeDep,
                           request: Request, idempotency_key: IdempotencyKeyHeader = None):
    async with runtime.database.transaction() as session:
        claim = await claim_key(session, idempotency_keys, idempotency_key,
                                route="POST /invoices/{invoice_id}/payments",
                                resource=str(invoice_id), caller=caller_of(request), body=body)
        if claim.replay is not None:
            return claim.replay.response()
        ...  # the booking
        answer = await invoice_view(session, invoice_id)
        await claim.store(201, answer)
        return answer
```
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_platform.identity import caller_identity
from kring_platform.problems import PROBLEM_JSON, InvalidInput, Problem

MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotency-Replayed"

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        pattern=r"^[\x21-\x7e]+$",
        description="A key the client makes once per action (a UUID): the same key with the "
        "same body answers the first answer again and books nothing; with another body 422. "
        "Without it every request books.",
    ),
]


def idempotency_table(metadata: sa.MetaData, name: str = "idempotency_keys") -> sa.Table:
    """The table a service keeps its keys in; its migration spells the same columns out.
    One row per (route, resource, caller, key)."""
    return sa.Table(name, metadata, *_columns(), _primary_key(name))


_KEY_COLUMNS = ("route", "resource", "caller", "key")


def _primary_key(name: str) -> sa.PrimaryKeyConstraint:
    # The unique key a concurrent duplicate waits on until the first request commits.
    return sa.PrimaryKeyConstraint(*_KEY_COLUMNS, name=f"{name}_pkey")


def _columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("route", sa.String(200), nullable=False),
        sa.Column("resource", sa.String(200), nullable=False),
        # '' when the service runs without the gateway's identity (in-process tests).
        sa.Column("caller", sa.String(200), nullable=False),
        sa.Column("key", sa.String(MAX_KEY_LENGTH), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        # Null only inside the transaction that claimed the key: committed rows hold the answer.
        sa.Column("status", sa.Integer, nullable=True),
        sa.Column("answer", JSONB, nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    ]


def request_hash(body: Any) -> str:
    """SHA-256 of the body's canonical JSON: keys sorted, no spaces, as the API parsed it (a
    pydantic model's JSON dump), so `"10.0"` and `"10.00"` or reordered keys hash alike
    when the model makes them alike."""
    if isinstance(body, BaseModel):
        body = body.model_dump(mode="json")
    canonical = json.dumps(
        jsonable_encoder(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def caller_of(request: Request) -> str:
    """The caller a key belongs to: the gateway's user id, '' without identity checks."""
    identity = caller_identity(request)
    return identity.user_id if identity is not None else ""


class IdempotencyKeyReused(InvalidInput):
    """The key was used before with another body."""

    title = "Idempotency key reused"


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    body: Any
    created_at: datetime

    def response(self) -> JSONResponse:
        return JSONResponse(self.body, status_code=self.status, headers={REPLAYED_HEADER: "true"})


@dataclass
class Claim:
    """The outcome of `claim_key`: a `replay` to answer as is, or the right (and duty) to do
    the work and `store` its answer in the same transaction."""

    session: AsyncSession | None
    table: sa.Table | None
    where: dict[str, str]
    replay: StoredAnswer | None = None

    async def store(self, status: int, answer: Any) -> None:
        if self.session is None or self.table is None:
            return  # no key sent
        values = {"status": status, "answer": jsonable_encoder(answer)}
        conditions = [self.table.c[column] == value for column, value in self.where.items()]
        await self.session.execute(sa.update(self.table).where(*conditions).values(**values))


async def claim_key(
    session: AsyncSession,
    table: sa.Table,
    key: str | None,
    *,
    route: str,
    resource: str,
    caller: str,
    body: Any,
) -> Claim:
    """Claims `key` for this request inside the caller's transaction, before the work.

    No key: a claim that stores nothing. A key seen before: its stored answer (`replay`),
    or `IdempotencyKeyReused` (422) when the body differs. A key being used by a
    concurrent transaction: waits for it (row lock on the unique key), then as above."""
    if key is None:
        return Claim(None, None, {})
    where = {"route": route, "resource": resource, "caller": caller, "key": key}
    digest = request_hash(body)
    inserted = await session.scalar(
        insert(table)
        .values(**where, request_hash=digest)
        .on_conflict_do_nothing()
        .returning(table.c.key)
    )
    if inserted is not None:
        return Claim(session, table, where)
    conditions = [table.c[column] == value for column, value in where.items()]
    row = (
        await session.execute(
            sa.select(
                table.c.request_hash, table.c.status, table.c.answer, table.c.created_at
            ).where(*conditions)
        )
    ).one()
    if row.request_hash != digest:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used before with another request body; nothing was "
            "changed. Use a new key for a new request.",
            idempotency_key=key,
        )
    if row.status is None:  # pragma: no cover - committed rows always hold their answer
        raise RuntimeError("an idempotency key was committed without its answer")
    return Claim(session, table, where, replay=StoredAnswer(row.status, row.answer, row.created_at))


IDEMPOTENCY_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {
        "model": Problem,
        "description": "Invalid input, or an Idempotency-Key used before with another body",
        "content": {PROBLEM_JSON: {}},
    }
}
