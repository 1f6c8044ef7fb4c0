"""Checks of SEPA identifiers: account numbers (schwifty), creditor identifiers and mandate
references (EPC rules, ISO 7064 MOD 97-10 check digits)."""

import re

from schwifty import BIC
from schwifty.exceptions import SchwiftyException

# Countries of the EEA: a direct debit to an account there needs no BIC (EPC rulebook since
# 2016). Accounts in the other SEPA countries (CH, GB, MC, SM, VA, AD, ...) need the BIC.
EEA_COUNTRIES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "IS",
        "LI",
        "NO",
        "GF",
        "GP",
        "MQ",
        "RE",
        "YT",
        "PM",
        "BL",
        "MF",
        "AX",
    }
)

# The characters EPC allows in identifiers such as a mandate reference (no spaces).
_MANDATE_REFERENCE = re.compile(r"[A-Za-z0-9+?/\-:().,']{1,35}")
_CREDITOR_IDENTIFIER = re.compile(r"([A-Z]{2})([0-9]{2})([A-Z0-9]{3})([A-Z0-9]{1,28})")


def _mod97(text: str) -> int:
    return int("".join(str(int(char, 36)) for char in text)) % 97


def normalised_bic(value: str) -> str:
    try:
        return str(BIC(value))
    except SchwiftyException as error:
        raise ValueError(f"invalid BIC: {error}") from error


def bic_required(iban: str) -> bool:
    """Whether a debit from this account needs the debtor bank's BIC (outside the EEA)."""
    return iban[:2].upper() not in EEA_COUNTRIES


def normalised_creditor_identifier(value: str) -> str:
    """A SEPA creditor identifier (e.g. BE81ZZZ0123456749): country, check digits over the
    national identifier and the country (the business code is not checked), business code,
    national identifier. ValueError if malformed or the check digits do not match."""
    compact = re.sub(r"\s+", "", value).upper()
    match = _CREDITOR_IDENTIFIER.fullmatch(compact)
    if match is None or len(compact) > 35:
        raise ValueError(f"not a SEPA creditor identifier: {value!r}")
    country, check, _business, national = match.groups()
    if _mod97(national + country + check) != 1:
        raise ValueError(f"creditor identifier check digits do not match: {value!r}")
    return compact


def valid_mandate_reference(value: str) -> str:
    """A mandate reference: 1 to 35 of the characters EPC allows, no spaces."""
    if not _MANDATE_REFERENCE.fullmatch(value):
        raise ValueError(
            "a mandate reference has 1 to 35 characters of A-Z a-z 0-9 + ? / - : ( ) . , '"
        )
    return value
