"""pain.008 and camt.053 without I/O: files checked against the XSD independently of
sepaxml, figures read back from the XML."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from kring_billing.bank_statements.camt053 import (
    MalformedStatement,
    parse_camt053,
    references_in_text,
)
from kring_billing.sepa.identifiers import (
    bic_required,
    normalised_creditor_identifier,
    valid_mandate_reference,
)
from kring_billing.sepa.pain008 import Creditor, DirectDebit, build_pain008, sepa_text
from kring_billing.sepa.pain008 import pain008_schema_errors as service_schema_errors
from kring_platform.validation import normalised_iban

from ..sepa_files import Booking, camt053, pain008_schema_errors

CREDITOR = Creditor("Sportclub Kring vzw", "BE68539007547034", "GKCCBEBB", "BE81ZZZ0123456749")
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def debit(number: int, amount: str, sequence: str = "FRST", bic: str | None = None) -> DirectDebit:
    return DirectDebit(
        end_to_end_id=f"2026-{number:06d}",
        amount=Decimal(amount),
        debtor_name="Zoë Łukasiewicz",
        debtor_iban="BE71096123456769",
        debtor_bic=bic,
        mandate_reference=f"KRING-M-{number}",
        mandate_signed_on=date(2026, 1, 10),
        sequence_type=sequence,  # type: ignore[arg-type]
        remittance=f"Invoice 2026-{number:06d}",
    )


def test_a_collection_file_validates_and_its_figures_match() -> None:
    debits = [
        debit(1, "120.00"),
        debit(2, "60.50", "RCUR", bic="GEBABEBB"),
        debit(3, "0.01", "RCUR"),
    ]
    collection = build_pain008(CREDITOR, debits, date(2026, 4, 2))
    assert pain008_schema_errors(collection.xml) == []
    root = etree.fromstring(collection.xml)
    expected_sum = sum((item.amount for item in debits), Decimal(0))
    assert collection.control_sum == expected_sum
    assert root.findtext("p:CstmrDrctDbtInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "3"
    assert Decimal(root.findtext("p:CstmrDrctDbtInitn/p:GrpHdr/p:CtrlSum", namespaces=NS)) == (
        expected_sum
    )
    assert root.findtext("p:CstmrDrctDbtInitn/p:GrpHdr/p:MsgId", namespaces=NS) == (
        collection.message_id
    )
    # One payment information per sequence type, each with its own count and sum.
    per_sequence: dict[str, tuple[int, Decimal]] = {}
    for info in root.iterfind("p:CstmrDrctDbtInitn/p:PmtInf", namespaces=NS):
        sequence = info.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS)
        assert info.findtext("p:ReqdColltnDt", namespaces=NS) == "2026-04-02"
        assert info.findtext("p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS) == (
            CREDITOR.creditor_identifier
        )
        amounts = [
            Decimal(node.text or "")
            for node in info.iterfind("p:DrctDbtTxInf/p:InstdAmt", namespaces=NS)
        ]
        assert info.findtext("p:NbOfTxs", namespaces=NS) == str(len(amounts))
        assert Decimal(info.findtext("p:CtrlSum", namespaces=NS) or "") == sum(amounts)
        per_sequence[str(sequence)] = (len(amounts), sum(amounts, Decimal(0)))
    assert per_sequence == {
        "FRST": (1, Decimal("120.00")),
        "RCUR": (2, Decimal("60.51")),
    }
    end_to_end = [node.text for node in root.iterfind(".//p:EndToEndId", namespaces=NS)]
    assert sorted(end_to_end) == sorted(item.end_to_end_id for item in debits)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
        min_size=1,
        max_size=8,
    ),
    st.text(min_size=1, max_size=90),
)
def test_any_amounts_and_names_give_a_valid_file(amounts: list[Decimal], name: str) -> None:
    debits = [
        DirectDebit(
            end_to_end_id=f"2026-{n:06d}",
            amount=amount,
            debtor_name=name,
            debtor_iban="BE71096123456769",
            debtor_bic=None,
            mandate_reference=f"M{n}",
            mandate_signed_on=date(2025, 12, 1),
            sequence_type="RCUR",
            remittance=name,
        )
        for n, amount in enumerate(amounts)
    ]
    if not sepa_text(name, 70):
        # Nothing of the name is Latin or a digit: no file rather than an invalid one.
        with pytest.raises(ValueError, match="no debtor name"):
            build_pain008(CREDITOR, debits, date(2026, 4, 2))
        return
    collection = build_pain008(CREDITOR, debits, date(2026, 4, 2))
    assert pain008_schema_errors(collection.xml) == []
    assert collection.control_sum == sum(amounts)


def test_a_file_without_debits_or_with_a_bad_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        build_pain008(CREDITOR, [], date(2026, 4, 2))
    with pytest.raises(ValueError, match="positive amount"):
        build_pain008(CREDITOR, [debit(1, "0.00")], date(2026, 4, 2))
    with pytest.raises(ValueError, match="positive amount"):
        build_pain008(CREDITOR, [debit(1, "1.005")], date(2026, 4, 2))


def test_identifiers() -> None:
    assert normalised_iban("be68 5390 0754 7034") == "BE68539007547034"
    with pytest.raises(ValueError, match="invalid IBAN"):
        normalised_iban("BE68 5390 0754 7035")
    assert normalised_creditor_identifier("be81 zzz 0123456749") == "BE81ZZZ0123456749"
    # The business code is outside the check: another one is as valid.
    assert normalised_creditor_identifier("BE81ABC0123456749") == "BE81ABC0123456749"
    assert normalised_creditor_identifier("DE98ZZZ09999999999") == "DE98ZZZ09999999999"
    for wrong in ["BE82ZZZ0123456749", "BE81ZZZ0123456748", "ZZZ", ""]:
        with pytest.raises(ValueError):
            normalised_creditor_identifier(wrong)
    assert valid_mandate_reference("KRING-2026/001") == "KRING-2026/001"
    for wrong in ["", "with space", "x" * 36, "é"]:
        with pytest.raises(ValueError):
            valid_mandate_reference(wrong)
    assert not bic_required("BE68539007547034")
    assert bic_required("CH9300762011623852957")


@pytest.mark.parametrize("version", ["02", "04", "08", "13"])
def test_a_statement_parses_in_every_version(version: str) -> None:
    content = camt053(
        [
            Booking(Decimal("120.00"), reference="RF02 2026 0000 42", bank_reference="B1"),
            Booking(Decimal("5.00"), unstructured="member fee RF18539007547034 thanks"),
            Booking(Decimal("9.99"), credit=False),
            Booking(Decimal("1.00"), status="PDNG"),
        ],
        version=version,
    )
    [statement] = parse_camt053(content)
    assert statement.account_iban == "BE68539007547034"
    first, second, third = statement.transactions  # the pending entry is left out
    assert (first.amount, first.credit, first.creditor_reference) == (
        Decimal("120.00"),
        True,
        "RF02 2026 0000 42",
    )
    assert first.booking_date == date(2026, 3, 20)
    assert first.counterparty_name == "Ann Peeters"
    assert references_in_text(second.unstructured or "") == ["539007547034"]
    assert not third.credit
    assert len({item.key for item in statement.transactions}) == 3
    # Keys stay the same when the statement comes again.
    assert [item.key for item in parse_camt053(content)[0].transactions] == [
        item.key for item in statement.transactions
    ]


def test_a_batch_entry_gives_one_transaction_per_detail() -> None:
    content = camt053(
        [
            Booking(Decimal("120.00"), end_to_end_id="2026-000001", bank_reference="C1"),
            Booking(Decimal("60.50"), end_to_end_id="2026-000002"),
        ],
        batch=True,
    )
    transactions = parse_camt053(content)[0].transactions
    assert [(item.amount, item.end_to_end_id) for item in transactions] == [
        (Decimal("120.00"), "2026-000001"),
        (Decimal("60.50"), "2026-000002"),
    ]
    assert len({item.key for item in transactions}) == 2


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not xml",
        b"<Document/>",
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"/>',
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/>'
        b"</Document>",
        camt053([Booking(Decimal("1.00"))]).replace(b"1.00</Amt>", b"lots</Amt>"),
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&e;</Document>',
    ],
)
def test_what_is_no_statement_is_refused(content: bytes) -> None:
    with pytest.raises(MalformedStatement):
        parse_camt053(content)


def test_both_checks_refuse_a_file_that_breaks_the_schema() -> None:
    collection = build_pain008(CREDITOR, [debit(1, "10.00")], date(2026, 4, 2))
    broken = collection.xml.replace(b"<NbOfTxs>", b"<Count>", 1).replace(
        b"</NbOfTxs>", b"</Count>", 1
    )
    assert service_schema_errors(collection.xml) == []
    assert service_schema_errors(broken) != []
    assert pain008_schema_errors(broken) != []
