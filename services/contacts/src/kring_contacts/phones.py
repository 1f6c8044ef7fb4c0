"""Phone numbers (`phonenumbers`, Google's libphonenumber): however they are typed, stored in
E.164 (`+32465317290`), shown in national form for the organisation's country and in
international form otherwise, searched by the digits of both forms.

A number typed without a country code ("0465 31 72 90") is read as a number of the
organisation's country (`ORGANISATION_COUNTRY`). The request bodies' validators have no
access to the app's settings, so `create_app` sets that region here once for the process;
everything else takes the region as an argument.
"""

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat

DEFAULT_REGION = "BE"

_region = DEFAULT_REGION


def use_region(region: str) -> None:
    """The region of numbers typed without a country code, for this process."""
    global _region
    _region = check_region(region)


def default_region() -> str:
    return _region


def check_region(region: str) -> str:
    code = region.upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"not a region phonenumbers knows: {region!r}")
    return code


def _parsed(text: str, region: str) -> PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def parse_phone(text: str, region: str) -> str:
    """`text` in E.164; ValueError when it is not a valid number (read in `region` when it
    has no country code). Valid means the number plan's ranges, not only a plausible length:
    a typo that drops a digit is refused, not stored."""
    number = _parsed(text, region)
    if number is None:
        raise ValueError(f"not a valid phone number (read as a number of {region})")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display_phone(stored: str | None, region: str) -> str | None:
    """National form for a number of `region` ("0465 31 72 90"), international otherwise
    ("+31 6 12345678"); a value from before E.164 that never parsed, as it was typed."""
    if stored is None or not stored.startswith("+"):
        return stored
    number = _parsed(stored, region)
    if number is None:
        return stored
    own = phonenumbers.region_code_for_number(number) == region
    return phonenumbers.format_number(
        number, PhoneNumberFormat.NATIONAL if own else PhoneNumberFormat.INTERNATIONAL
    )


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isascii() and ch.isdigit())


def search_digits(stored: str | None) -> list[str]:
    """What quick search holds of a phone: the digits of its E.164 and its national form
    ("32465317290", "0465317290"), so either way of typing it finds it; a value that never
    parsed, its digits."""
    if not stored:
        return []
    number = _parsed(stored, DEFAULT_REGION) if stored.startswith("+") else None
    if number is None:
        return [_digits(stored)]
    national = _digits(phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
    return list(dict.fromkeys([_digits(stored), national]))


def _typed_as_whole_number(text: str, region: str) -> bool:
    """Whether `text` begins as a dialled number does: "+", the region's international
    prefix ("00") or its national prefix ("0"). A bare run of digits ("20261202") may be a
    date or part of an IBAN: it is not taken for a phone number."""
    stripped = text.lstrip(" (")
    if stripped.startswith("+"):
        return True
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefixes = (
        [
            prefix
            for prefix in (metadata.international_prefix, metadata.national_prefix)
            if prefix and prefix.isdigit()
        ]
        if metadata is not None
        else []
    )
    return any(stripped.startswith(prefix) for prefix in prefixes)


def query_e164_digits(text: str, region: str) -> str | None:
    """The E.164 digits of a query that is a whole, valid phone number typed as one is dialled
    ("0465 31 72 90", "+32 465 31 72 90", "0032465317290", "0465/31.72.90"), else None."""
    if not _typed_as_whole_number(text, region):
        return None
    number = _parsed(text, region)
    if number is None:
        return None
    return _digits(phonenumbers.format_number(number, PhoneNumberFormat.E164))


def filter_digits(value: str, region: str) -> list[str]:
    """The digit strings an advanced-search phone condition looks for in the stored E.164
    digits: a whole valid number, its E.164 digits; a fragment, its digits, and when it is
    typed with the national prefix ("0465") also as the country code would replace it
    ("32465"), or with the international prefix ("0032") without it."""
    whole = query_e164_digits(value, region)
    if whole is not None:
        return [whole]
    typed = _digits(value)
    if not typed:
        return []
    forms = [typed]
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is not None and not value.lstrip(" (").startswith("+"):
        international, national = metadata.international_prefix, metadata.national_prefix
        if international and international.isdigit() and typed.startswith(international):
            forms.append(typed[len(international) :])
        elif national and national.isdigit() and typed.startswith(national):
            country_code = str(metadata.country_code)
            forms.append(country_code + typed[len(national) :])
    return [form for form in dict.fromkeys(forms) if form]
