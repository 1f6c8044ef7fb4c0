"""ISO 11649 creditor references ("RF references") for invoices.

An RF reference is `RF`, two check digits and up to 21 letters or digits. We build it from
the invoice number itself (its letters and digits), so the reference a payer copies into a
transfer leads straight back to the invoice, without a lookup table, and works for any bank
in SEPA. The check digits are ISO 7064 MOD 97-10, as in an IBAN: a mistyped reference is
refused instead of being matched to another invoice.
"""

import re

_MAX_BODY = 21
_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Za-z]")


class InvalidReference(ValueError):
    """Not an RF reference, or its check digits do not match."""


def _as_digits(text: str) -> int:
    # A..Z count as 10..35, the digits as themselves (ISO 7064 on alphanumerics).
    return int("".join(str(int(char, 36)) for char in text))


def reference_body(invoice_number: str) -> str:
    """The letters and digits of an invoice number, upper case: what the reference carries."""
    body = _NOT_ALPHANUMERIC.sub("", invoice_number).upper()
    if not body or len(body) > _MAX_BODY:
        raise ValueError(
            f"an RF reference carries 1 to {_MAX_BODY} letters or digits; "
            f"invoice number {invoice_number!r} has {len(body)}"
        )
    return body


def creditor_reference(invoice_number: str) -> str:
    """The RF reference of an invoice number, e.g. '2026-000042' -> 'RF42 2026 0000 42'
    (printed in groups of four, as ISO 11649 recommends; `parse_reference` takes either)."""
    body = reference_body(invoice_number)
    check = 98 - _as_digits(body + "RF00") % 97
    compact = f"RF{check:02d}{body}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def parse_reference(text: str) -> str:
    """The body of an RF reference as a payer or a bank wrote it (spaces, any case), once
    its check digits are verified; raises InvalidReference otherwise."""
    compact = re.sub(r"\s+", "", text).upper()
    if not re.fullmatch(r"RF[0-9]{2}[0-9A-Z]{1,21}", compact):
        raise InvalidReference(f"not an RF creditor reference: {text!r}")
    if _as_digits(compact[4:] + compact[:4]) % 97 != 1:
        raise InvalidReference(f"check digits do not match: {text!r}")
    return compact[4:]
