"""Bank statement imports (camt.053): credits matched to invoices become payments, returned
direct debits are undone."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from kring_billing.bank_statements.camt053 import MalformedStatement, parse_camt053
from kring_billing.bank_statements.schemas import StatementImportOut
from kring_billing.bank_statements.statement_import import import_statements
from kring_billing.deps import Today
from kring_platform.app import RuntimeDep
from kring_platform.problems import PROBLEM_RESPONSES, InvalidInput

router = APIRouter(prefix="/bank-statements", tags=["bank statements"])

# A month of a club's account is a few hundred kB; this bounds what is parsed.
MAX_STATEMENT_BYTES = 20 * 1024 * 1024


@router.post("", response_model=StatementImportOut, responses=PROBLEM_RESPONSES)
async def import_statement(
    file: Annotated[UploadFile, File(description="A camt.053 XML file (001.02 or later)")],
    runtime: RuntimeDep,
    today: Today,
) -> StatementImportOut:
    """Books the statement's credits on the invoices their RF reference (or direct debit
    end-to-end id) names, and returned direct debits: the collection's payment reversed
    (`reversed_payment_id`), the invoice open and collectible again, the mandate revoked when
    the reason code says it is unusable (`mandate_revoked`). Importing the same statement
    again books nothing twice: those transactions come back under `already_imported`. Not a
    camt.053: 422, nothing changed."""
    content = await file.read(MAX_STATEMENT_BYTES + 1)
    if len(content) > MAX_STATEMENT_BYTES:
        raise InvalidInput(f"A statement file may have at most {MAX_STATEMENT_BYTES} bytes.")
    try:
        # CPU-bound (about 0.3 ms a transaction): off the event loop.
        statements = await asyncio.to_thread(parse_camt053, content)
    except MalformedStatement as error:
        raise InvalidInput(str(error), reason="not_a_camt053_statement") from error
    async with runtime.unit_of_work() as work:
        return await import_statements(work, statements, today=today)
