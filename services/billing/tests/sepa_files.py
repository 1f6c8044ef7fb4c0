"""Test material for SEPA files: camt.053 statements as a bank would send them, and the
pain.008 XSD check done independently of the service's own (which uses lxml): xmlschema
against the XSD file."""

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

import xmlschema

from kring_billing.sepa.pain008 import PAIN008_XSD


@functools.cache
def _pain008_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(PAIN008_XSD))


def pain008_schema_errors(xml: bytes) -> list[str]:
    return [str(error.reason) for error in _pain008_schema().iter_errors(xml.decode())]


@dataclass(frozen=True)
class Booking:
    """One transaction on a statement."""

    amount: Decimal
    reference: str | None = None  # structured creditor reference
    unstructured: str | None = None
    end_to_end_id: str | None = None
    credit: bool = True
    bank_reference: str | None = None
    return_reason: str | None = None
    status: str = "BOOK"


def camt053(
    bookings: list[Booking],
    *,
    version: str = "02",
    statement_id: str = "STMT-1",
    iban: str = "BE68539007547034",
    batch: bool = False,
) -> bytes:
    """A camt.053 statement; `batch` puts all bookings in one entry (as a collection's
    credit comes), else one entry each. Version 02 writes Sts as text, later ones as Cd."""

    def status(value: str) -> str:
        return f"<Sts>{value}</Sts>" if version == "02" else f"<Sts><Cd>{value}</Cd></Sts>"

    def details(booking: Booking) -> str:
        refs = (
            f"<AcctSvcrRef>{booking.bank_reference}-TX</AcctSvcrRef>"
            if booking.bank_reference
            else ""
        )
        if booking.end_to_end_id:
            refs += f"<EndToEndId>{escape(booking.end_to_end_id)}</EndToEndId>"
        remittance = ""
        if booking.unstructured:
            remittance += f"<Ustrd>{escape(booking.unstructured)}</Ustrd>"
        if booking.reference:
            remittance += (
                "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
                f"<Ref>{escape(booking.reference)}</Ref></CdtrRefInf></Strd>"
            )
        returned = (
            f"<RtrInf><Rsn><Cd>{booking.return_reason}</Cd></Rsn></RtrInf>"
            if booking.return_reason
            else ""
        )
        party = "Dbtr" if booking.credit else "Cdtr"
        return (
            f"<TxDtls><Refs>{refs}</Refs>"
            f'<AmtDtls><TxAmt><Amt Ccy="EUR">{booking.amount}</Amt></TxAmt></AmtDtls>'
            f"<RltdPties><{party}><Nm>Ann Peeters</Nm></{party}></RltdPties>"
            f"{f'<RmtInf>{remittance}</RmtInf>' if remittance else ''}{returned}</TxDtls>"
        )

    def entry(items: list[Booking], index: int) -> str:
        first = items[0]
        total = sum((item.amount for item in items), Decimal(0))
        reference = first.bank_reference or f"{statement_id}-{index}"
        return (
            f'<Ntry><NtryRef>{index}</NtryRef><Amt Ccy="EUR">{total}</Amt>'
            f"<CdtDbtInd>{'CRDT' if first.credit else 'DBIT'}</CdtDbtInd>"
            f"{status(first.status)}<BookgDt><Dt>2026-03-20</Dt></BookgDt>"
            f"<ValDt><Dt>2026-03-20</Dt></ValDt><AcctSvcrRef>{reference}</AcctSvcrRef>"
            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd>"
            "</Fmly></Domn></BkTxCd>"
            f"<NtryDtls>{''.join(details(item) for item in items)}</NtryDtls></Ntry>"
        )

    groups = [bookings] if batch else [[booking] for booking in bookings]
    entries = "".join(entry(group, index) for index, group in enumerate(groups))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">'
        "<BkToCstmrStmt><GrpHdr><MsgId>MSG-1</MsgId>"
        f"<CreDtTm>{date(2026, 3, 21).isoformat()}T08:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{statement_id}</Id><CreDtTm>2026-03-21T08:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id></Acct>{entries}</Stmt>"
        "</BkToCstmrStmt></Document>"
    ).encode()
