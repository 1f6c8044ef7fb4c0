"""Bank statements in camt.053 (BankToCustomerStatement), versions 001.02 and later, read
with lxml into plain values.

Only booked entries count. An entry may carry several transactions (a batch booking, e.g.
the credit of a direct debit collection): each becomes one `BankTransaction` with a key that
stays the same when the same statement is imported again, so an import is idempotent.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from kring_billing.documents.payment_reference import (
    InvalidReference,
    parse_belgian_structured,
    parse_reference,
)

_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d{2})")
# An RF reference in free text: compact or in groups of four; what follows it may look like
# one more group, so candidates are tried from the longest down (see references_in_text).
_RF_IN_TEXT = re.compile(r"RF[0-9]{2}(?: ?[0-9A-Za-z]{1,4}){1,6}")
# A Belgian structured communication in free text: 12 digits, grouped 3/4/5 by slashes or
# spaces or not at all (the +++ or *** around it do not matter), not part of a longer number.
_BELGIAN_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{3}[ /]*[0-9]{4}[ /]*[0-9]{5}(?![0-9])")
# Untrusted uploads: no entities, no DTDs, no network, no huge trees.
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
)


class MalformedStatement(ValueError):
    """Not XML, not a camt.053 document, or missing what every statement has."""


@dataclass(frozen=True, slots=True)
class BankTransaction:
    key: str  # unique per account and booking, the same on every import
    credit: bool
    amount: Decimal
    currency: str
    booking_date: date | None
    reversal: bool
    creditor_reference: str | None  # the structured reference (e.g. RF...), as given
    unstructured: str | None
    end_to_end_id: str | None
    counterparty_name: str | None
    return_reason: str | None  # set on a returned direct debit


@dataclass(frozen=True, slots=True)
class BankStatement:
    statement_id: str
    account_iban: str | None
    transactions: tuple[BankTransaction, ...]


class _Reader:
    """Finds by plain paths: the document's tags are stripped of their namespace first (it
    was checked once; every camt.053 version names the elements we read alike)."""

    def find(self, node: etree._Element, path: str) -> etree._Element | None:
        return node.find(path)

    def findall(self, node: etree._Element, path: str) -> list[etree._Element]:
        return list(node.iterfind(path))

    def text(self, node: etree._Element, path: str) -> str | None:
        found = node.find(path)
        if found is None or found.text is None:
            return None
        stripped = found.text.strip()
        return stripped or None


def _strip_namespace(root: etree._Element) -> None:
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = element.tag.rpartition("}")[2]


def parse_camt053(content: bytes) -> list[BankStatement]:
    """Every statement of a camt.053 document; MalformedStatement if it is none."""
    try:
        root = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as error:
        raise MalformedStatement(f"not well-formed XML: {error}") from error
    namespace = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "Document" or not _NAMESPACE.fullmatch(namespace):
        raise MalformedStatement(
            "not a camt.053 document (expected a Document in the namespace "
            "urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN)"
        )
    _strip_namespace(root)
    reader = _Reader()
    statements = reader.findall(root, "BkToCstmrStmt/Stmt")
    if not statements:
        raise MalformedStatement("the document holds no statement (BkToCstmrStmt/Stmt)")
    return [_statement(reader, statement) for statement in statements]


def _statement(reader: _Reader, statement: etree._Element) -> BankStatement:
    statement_id = reader.text(statement, "Id")
    if statement_id is None:
        raise MalformedStatement("a statement without Id")
    iban = reader.text(statement, "Acct/Id/IBAN")
    account = iban or reader.text(statement, "Acct/Id/Othr/Id") or "unknown"
    transactions: list[BankTransaction] = []
    for index, entry in enumerate(reader.findall(statement, "Ntry")):
        status = reader.text(entry, "Sts/Cd") or reader.text(entry, "Sts")
        if status != "BOOK":
            continue
        entry_ref = (
            reader.text(entry, "AcctSvcrRef")
            or reader.text(entry, "NtryRef")
            or f"{statement_id}#{index}"
        )
        transactions += _transactions(reader, entry, f"{account}:{entry_ref}")
    return BankStatement(statement_id, iban, tuple(transactions))


def _amount(reader: _Reader, node: etree._Element, path: str) -> tuple[Decimal, str] | None:
    found = reader.find(node, path)
    if found is None or found.text is None:
        return None
    try:
        amount = Decimal(found.text.strip())
    except InvalidOperation as error:
        raise MalformedStatement(f"not an amount: {found.text!r}") from error
    if not amount.is_finite() or amount < 0:
        raise MalformedStatement(f"not an amount: {found.text!r}")
    return amount, found.get("Ccy", "")


def _date(reader: _Reader, node: etree._Element, path: str) -> date | None:
    text = reader.text(node, f"{path}/Dt") or reader.text(node, f"{path}/DtTm")
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as error:
        raise MalformedStatement(f"not a date: {text!r}") from error


def _transactions(reader: _Reader, entry: etree._Element, entry_key: str) -> list[BankTransaction]:
    entry_amount = _amount(reader, entry, "Amt")
    if entry_amount is None:
        raise MalformedStatement(f"entry {entry_key} has no amount")
    indicator = reader.text(entry, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise MalformedStatement(f"entry {entry_key} is neither credit nor debit")
    booking_date = _date(reader, entry, "BookgDt")
    reversal = (reader.text(entry, "RvslInd") or "false").lower() == "true"
    details = reader.findall(entry, "NtryDtls/TxDtls")
    # Without details, the entry itself is the one transaction.
    details_or_entry = details or [entry]
    transactions = []
    for index, detail in enumerate(details_or_entry):
        amount = (
            _amount(reader, detail, "Amt")
            or _amount(reader, detail, "AmtDtls/TxAmt/Amt")
            or (entry_amount if len(details_or_entry) == 1 else None)
        )
        if amount is None:
            raise MalformedStatement(f"a transaction of entry {entry_key} has no amount")
        key = entry_key
        if details:
            key += "/" + (reader.text(detail, "Refs/AcctSvcrRef") or str(index))
        unstructured = " ".join(
            text for node in reader.findall(detail, "RmtInf/Ustrd") if (text := node.text)
        )
        counterparty = "Cdtr" if indicator == "DBIT" else "Dbtr"
        transactions.append(
            BankTransaction(
                key=key,
                credit=indicator == "CRDT",
                amount=amount[0],
                currency=amount[1],
                booking_date=booking_date,
                reversal=reversal,
                creditor_reference=reader.text(detail, "RmtInf/Strd/CdtrRefInf/Ref"),
                unstructured=unstructured or None,
                end_to_end_id=_end_to_end_id(reader, detail),
                counterparty_name=reader.text(detail, f"RltdPties/{counterparty}/Nm")
                or reader.text(detail, f"RltdPties/{counterparty}/Pty/Nm"),
                return_reason=reader.text(detail, "RtrInf/Rsn/Cd"),
            )
        )
    return transactions


def _end_to_end_id(reader: _Reader, detail: etree._Element) -> str | None:
    value = reader.text(detail, "Refs/EndToEndId")
    return None if value in (None, "NOTPROVIDED") else value


def references_in_text(text: str) -> list[str]:
    """The bodies of the valid RF references written into free text (payers often put them
    there): for each candidate, the longest prefix whose check digits match."""
    found = []
    for match in _RF_IN_TEXT.finditer(text):
        candidate = match.group(0)
        while len(candidate) > 4:
            try:
                found.append(parse_reference(candidate))
                break
            except InvalidReference:
                candidate = candidate[:-1].rstrip()
    return found


def belgian_references_in_text(text: str) -> list[str]:
    """The 10-digit bodies of the valid Belgian structured communications in free text."""
    found = []
    for match in _BELGIAN_IN_TEXT.finditer(text):
        try:
            found.append(parse_belgian_structured(match.group(0)))
        except InvalidReference:
            continue
    return found
