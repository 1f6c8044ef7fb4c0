"""Benchmark: billing's SEPA files at a federation's size, without database or network.

    uv run python bench/sepa_files.py [--debits 10000] [--transactions 10000] [--rounds 3]

Times, as the median of `--rounds` runs:

- **pain.008 build**: `build_pain008` as `POST /collections` calls it (sepaxml builds the
  file, lxml validates it against the pain.008.001.02 XSD);
- of which **validation**: the lxml XSD check alone, on the built file;
- **xmlschema validation**: the check sepaxml itself would make (pure Python), on the first
  `--xmlschema-sample` debits only (it is about fifty times slower), scaled per debit;
- **camt.053 parse**: `parse_camt053` of a statement with one booked entry per
  transaction, each with a structured RF reference;
- **floor**: lxml parsing and serialising the same bytes again (no building, no checks), the
  least any code that reads or writes these files spends.
"""

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import xmlschema
from lxml import etree

from kring_billing.bank_statements.camt053 import parse_camt053
from kring_billing.documents.payment_reference import creditor_reference
from kring_billing.sepa.pain008 import (
    PAIN008_XSD,
    Creditor,
    DirectDebit,
    build_pain008,
    pain008_schema_errors,
)

CREDITOR = Creditor("Kring Federation", "BE68539007547034", "GKCCBEBB", "BE81ZZZ0123456749")


def debits(count: int) -> list[DirectDebit]:
    return [
        DirectDebit(
            end_to_end_id=f"2026-{n:06d}",
            amount=Decimal(60 + n % 90) + Decimal("0.50"),
            debtor_name=f"Zoë Member {n}",
            debtor_iban="BE71096123456769",
            debtor_bic=None,
            mandate_reference=f"KRING-{n:08d}",
            mandate_signed_on=date(2025, 1, 1),
            sequence_type="FRST" if n % 10 == 0 else "RCUR",
            remittance=f"Invoice 2026-{n:06d}",
        )
        for n in range(count)
    ]


def statement(count: int) -> bytes:
    entries = "".join(
        f'<Ntry><Amt Ccy="EUR">{60 + n % 90}.50</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
        f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-20</Dt></BookgDt>"
        f"<AcctSvcrRef>B{n:09d}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf>"
        f"<Ref>{creditor_reference(f'2026-{n:06d}')}</Ref></CdtrRefInf></Strd></RmtInf>"
        "</TxDtls></NtryDtls></Ntry>"
        for n in range(count)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>B</MsgId><CreDtTm>2026-03-21T08:00:00</CreDtTm></GrpHdr>"
        "<Stmt><Id>S</Id><Acct><Id><IBAN>BE68539007547034</IBAN></Id></Acct>"
        f"{entries}</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def median_seconds(action: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def floor(content: bytes) -> None:
    etree.tostring(etree.fromstring(content))


def row(label: str, seconds: float, count: int, unit: str) -> None:
    print(f"  {label:<34} {seconds:8.3f} s  {seconds / count * 1e6:8.1f} µs per {unit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--debits", type=int, default=10_000)
    parser.add_argument("--transactions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--xmlschema-sample", type=int, default=500)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {args.rounds} rounds")

    to_collect = debits(args.debits)
    collection = build_pain008(CREDITOR, to_collect, date(2026, 12, 1))
    print(f"pain.008, {args.debits} debits ({len(collection.xml) // 1024} kB):")
    build = median_seconds(
        lambda: build_pain008(CREDITOR, to_collect, date(2026, 12, 1)), args.rounds
    )
    row("build (sepaxml + lxml XSD check)", build, args.debits, "debit")
    validation = median_seconds(lambda: pain008_schema_errors(collection.xml), args.rounds)
    row("of which the lxml XSD check", validation, args.debits, "debit")
    sample = build_pain008(CREDITOR, to_collect[: args.xmlschema_sample], date(2026, 12, 1))
    schema = xmlschema.XMLSchema(str(PAIN008_XSD))
    pure = median_seconds(lambda: schema.validate(sample.xml.decode()), 1)
    row(f"xmlschema check ({args.xmlschema_sample} sampled)", pure, args.xmlschema_sample, "debit")
    row(
        "floor (lxml parse + serialise)",
        median_seconds(lambda: floor(collection.xml), args.rounds),
        args.debits,
        "debit",
    )

    content = statement(args.transactions)
    print(f"camt.053, {args.transactions} transactions ({len(content) // 1024} kB):")
    parsed = parse_camt053(content)[0]
    assert len(parsed.transactions) == args.transactions
    row(
        "parse",
        median_seconds(lambda: parse_camt053(content), args.rounds),
        args.transactions,
        "transaction",
    )
    row(
        "floor (lxml parse + serialise)",
        median_seconds(lambda: floor(content), args.rounds),
        args.transactions,
        "transaction",
    )


if __name__ == "__main__":
    main()
