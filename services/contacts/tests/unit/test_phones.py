"""Phone numbers parsed, stored, shown and searched (phonenumbers): pure functions, no I/O."""

import pytest

from kring_contacts import phones
from kring_contacts.imports.files import ImportRow
from kring_contacts.imports.imports import PHONE_NOTE_PREFIX, draft_of, patch_of, row_values
from kring_contacts.settings import Settings

TYPED = ["0465 31 72 90", "+32 465 31 72 90", "0032465317290", "0465/31.72.90", "0465-317290"]


@pytest.mark.parametrize("typed", TYPED)
def test_a_belgian_number_however_typed_is_stored_e164(typed: str) -> None:
    assert phones.parse_phone(typed, "BE") == "+32465317290"


def test_the_region_reads_a_number_without_country_code() -> None:
    assert phones.parse_phone("06 12345678", "NL") == "+31612345678"
    assert phones.parse_phone("+31 6 12345678", "BE") == "+31612345678"


@pytest.mark.parametrize("typed", ["0465 31 72 9", "12", "0465 31 72 90 1", "+999 123", "abc"])
def test_an_invalid_number_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="not a valid phone number"):
        phones.parse_phone(typed, "BE")


def test_shown_national_at_home_and_international_abroad() -> None:
    assert phones.display_phone("+32465317290", "BE") == "0465 31 72 90"
    assert phones.display_phone("+31612345678", "BE") == "+31 6 12345678"
    assert phones.display_phone("+32465317290", "NL") == "+32 465 31 72 90"
    # Stored before E.164 and never parsed: shown as it was typed.
    assert phones.display_phone("ext. 12", "BE") == "ext. 12"
    assert phones.display_phone(None, "BE") is None


def test_the_search_text_holds_the_e164_and_national_digits() -> None:
    assert phones.search_digits("+32465317290") == ["32465317290", "0465317290"]
    assert phones.search_digits("+31612345678") == ["31612345678", "0612345678"]
    assert phones.search_digits("0465 31 72 9") == ["046531729"]
    assert phones.search_digits(None) == []


@pytest.mark.parametrize("typed", TYPED)
def test_a_whole_number_in_a_query_is_its_e164_digits(typed: str) -> None:
    assert phones.query_e164_digits(typed, "BE") == "32465317290"


def test_a_run_of_digits_not_dialled_is_not_taken_for_a_number() -> None:
    assert phones.query_e164_digits("20261202", "BE") is None  # a date, an IBAN's part
    assert phones.query_e164_digits("0465 31", "BE") is None  # a fragment


def test_filter_digits_of_fragments_follow_the_national_and_international_prefix() -> None:
    assert phones.filter_digits("0465 31 72 90", "BE") == ["32465317290"]
    assert phones.filter_digits("0465", "BE") == ["0465", "32465"]
    assert phones.filter_digits("0032 465", "BE") == ["0032465", "32465"]
    assert phones.filter_digits("+32 465", "BE") == ["32465"]
    assert phones.filter_digits("31 72", "BE") == ["3172"]
    assert phones.filter_digits("-", "BE") == []


def test_the_organisation_country_setting_is_checked() -> None:
    assert Settings(organisation_country="nl").organisation_country == "NL"
    with pytest.raises(ValueError, match="not a region"):
        Settings(organisation_country="XX")


def test_an_import_keeps_an_invalid_phone_in_the_notes_and_says_so() -> None:
    mapping = {"Voornaam": "first_name", "Naam": "last_name", "GSM": "phone", "Info": "notes"}
    row = ImportRow(2, {"Voornaam": "An", "Naam": "Peeters", "GSM": "0465 31 72 9", "Info": "x"})
    values = row_values(row, mapping)
    draft = draft_of(values)
    assert draft.phone is None
    assert draft.notes == f"x\n{PHONE_NOTE_PREFIX}0465 31 72 9"
    assert values.warning == "phone: '0465 31 72 9' is not a valid phone number; kept in the notes"
    # Imported again over the same contact: the note is not added twice.
    assert patch_of(values, current_notes=draft.notes).notes == draft.notes
    valid = row_values(
        ImportRow(3, {"Voornaam": "B", "Naam": "C", "GSM": "0465/31.72.90"}), mapping
    )
    assert (draft_of(valid).phone, valid.warning) == ("+32465317290", None)
