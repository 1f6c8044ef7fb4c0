"""Validation and normalisation of the API's request bodies: no I/O."""

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from kring_contacts.schemas import ContactCreate, ContactPatch, GroupCreate


def errors_of(model: type, **fields: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(fields)
    return {".".join(map(str, error["loc"])): error["msg"] for error in caught.value.errors()}


def test_a_contact_needs_only_its_names() -> None:
    contact = ContactCreate.model_validate({"first_name": " Ann ", "last_name": "Lee"})
    assert (contact.first_name, contact.last_name) == ("Ann", "Lee")
    assert contact.emails == [] and contact.iban is None and contact.notes == ""


def test_emails_are_validated_lowercased_and_deduplicated() -> None:
    contact = ContactCreate.model_validate(
        {"first_name": "A", "last_name": "B", "emails": ["Ann@Example.ORG", "ann@example.org"]}
    )
    assert contact.emails == ["ann@example.org"]
    assert "emails.0" in errors_of(ContactCreate, first_name="A", last_name="B", emails=["nope"])


def test_a_domain_checked_before_is_judged_the_same_again() -> None:
    """An address's domain is checked once and remembered: a good one normalises as before
    for every address at it, a bad one is refused each time with the same reason."""
    for _ in range(2):
        contact = ContactCreate.model_validate(
            {
                "first_name": "A",
                "last_name": "B",
                "emails": ["X@Bücher.Example", "y@BÜCHER.example"],
            }
        )
        assert contact.emails == ["x@bücher.example", "y@bücher.example"]
    reasons = [
        errors_of(ContactCreate, first_name="A", last_name="B", emails=[f"{name}@bad..domain"])
        for name in ("a", "b")
    ]
    assert reasons[0] == reasons[1] and "emails.0" in reasons[0]


def test_iban_is_stored_compact_and_upper_case() -> None:
    contact = ContactCreate.model_validate(
        {"first_name": "A", "last_name": "B", "iban": "be68 5390 0754 7034"}
    )
    assert contact.iban == "BE68539007547034"


@pytest.mark.parametrize(
    "iban", ["BE68 5390 0754 7035", "XX00 1234", "hello", "BE68" * 20, "BE68\x005390"]
)
def test_an_invalid_iban_is_refused_with_the_field_named(iban: str) -> None:
    assert "iban" in errors_of(ContactCreate, first_name="A", last_name="B", iban=iban)


def test_blank_optional_fields_mean_none() -> None:
    contact = ContactCreate.model_validate(
        {"first_name": "A", "last_name": "B", "iban": " ", "phone": "", "address": {"city": ""}}
    )
    assert contact.iban is None and contact.phone is None and contact.address.city is None


def test_country_is_an_iso_code() -> None:
    contact = ContactCreate.model_validate(
        {"first_name": "A", "last_name": "B", "address": {"country": "be"}}
    )
    assert contact.address.country == "BE"
    for bad in ("XX", "BEL", "B1"):
        assert "address.country" in errors_of(
            ContactCreate, first_name="A", last_name="B", address={"country": bad}
        )


def test_birth_date_is_not_in_the_future() -> None:
    tomorrow = date.today() + timedelta(days=1)
    assert "birth_date" in errors_of(
        ContactCreate, first_name="A", last_name="B", birth_date=tomorrow
    )


def test_phone_takes_digits_and_the_usual_punctuation_and_is_stored_e164() -> None:
    contact = ContactCreate.model_validate(
        {"first_name": "A", "last_name": "B", "phone": "+32 (0)470/12.34-56"}
    )
    assert contact.phone == "+32470123456"
    for bad in ("call me", "12", "1" * 41, "0465 31 72 9", "+32 465 31 72 90 12"):
        assert "phone" in errors_of(ContactCreate, first_name="A", last_name="B", phone=bad)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", ""),
        ("first_name", "   "),
        ("first_name", "x" * 201),
        ("first_name", "An\x00n"),
        ("last_name", 42),
        ("notes", "x" * 10_001),
        ("notes", "a\x00b"),
        ("emails", ["a@example.org"] * 11),
        ("emails", "a@example.org"),
        ("address", {"street": "x" * 10_000}),
        ("address", {"planet": "Mars"}),
        ("birth_date", "yesterday"),
        ("nickname", "Annie"),
    ],
)
def test_bad_contact_fields_are_refused(field: str, value: object) -> None:
    fields: dict[str, object] = {"first_name": "A", "last_name": "B", field: value}
    errors = errors_of(ContactCreate, **fields)
    assert any(location.startswith(field) for location in errors), errors


def test_a_patch_knows_which_fields_were_sent() -> None:
    patch = ContactPatch.model_validate({"phone": None, "address": {"city": "Gent"}})
    assert patch.model_fields_set == {"phone", "address"}
    assert patch.address is not None and patch.address.model_fields_set == {"city"}


@pytest.mark.parametrize("field", ["first_name", "last_name", "emails", "notes"])
def test_a_patch_cannot_clear_a_required_field(field: str) -> None:
    assert field in errors_of(ContactPatch, **{field: None})


def test_group_names_are_bounded_one_liners() -> None:
    assert GroupCreate.model_validate({"name": " Donors "}).name == "Donors"
    for bad in ("", "x" * 201, "a\x00"):
        assert "name" in errors_of(GroupCreate, name=bad)
