"""Payment references for invoices: ISO 11649 creditor references ("RF references") and the
Belgian structured communication (OGM/VCS, `+++202/6000/04236+++`).

An RF reference is `RF`, two check digits and up to 21 letters or digits. We build it from
the invoice number itself (its letters and digits), so the reference a payer copies into a
transfer leads straight back to the invoice, without a lookup table, and works for any bank
in SEPA. The check digits are ISO 7064 MOD 97-10, as in an IBAN: a mistyped reference is
refused instead of being matched to another invoice.

The Belgian structured communication is 10 digits and 2 check digits (the 10-digit number
mod 97, 97 for a remainder of 0), checked by python-stdnum. Its 10 digits are the invoice
number's digits (`2026-000042` -> `2026000042`), the same body as the RF reference, so both
kinds lead to the invoice by the same lookup. Which kind invoices carry is the
organisation's choice (`organisation/preferences.py`).
"""

import re
from typing import Literal

from stdnum.be import ogm_vcs
from stdnum.exceptions import ValidationError

ReferenceScheme = Literal["rf", "be_structured"]
"""`rf`: ISO 11649 creditor reference; `be_structured`: Belgian structured communication."""
REFERENCE_SCHEMES: tuple[ReferenceScheme, ...] = ("rf", "be_structured")
_BELGIAN_BODY_DIGITS = 10

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


def belgian_structured_communication(invoice_number: str) -> str | None:
    """The Belgian structured communication of an invoice number as printed,
    e.g. '2026-000042' -> '+++202/6000/04236+++'; None when the number does not have exactly
    10 digits (then only an RF reference can name it)."""
    digits = re.sub(r"[^0-9]", "", invoice_number)
    if len(digits) != _BELGIAN_BODY_DIGITS or _NOT_ALPHANUMERIC.sub("", invoice_number) != digits:
        return None
    return f"+++{ogm_vcs.format(digits + ogm_vcs.calc_check_digits(digits))}+++"


def parse_belgian_structured(text: str) -> str:
    """The 10-digit body of a Belgian structured communication as a payer or a bank wrote it
    (`+++…+++`, `***…***`, with or without slashes and spaces, or the 12 digits), once its
    check digits are verified; raises InvalidReference otherwise."""
    compact = re.sub(r"[\s+*/.-]", "", text)
    try:
        return ogm_vcs.validate(compact)[:_BELGIAN_BODY_DIGITS]
    except ValidationError as error:
        raise InvalidReference(f"not a Belgian structured communication: {text!r}") from error


def payment_reference(invoice_number: str, scheme: ReferenceScheme) -> str:
    """The reference an invoice carries under the organisation's scheme, as printed. An
    invoice number a Belgian communication cannot carry gets its RF reference."""
    if scheme == "be_structured":
        belgian = belgian_structured_communication(invoice_number)
        if belgian is not None:
            return belgian
    return creditor_reference(invoice_number)


def reference_body_of(text: str) -> str:
    """The invoice body named by a reference of either kind, check digits verified; raises
    InvalidReference when it is neither."""
    try:
        return parse_reference(text)
    except InvalidReference:
        return parse_belgian_structured(text)
