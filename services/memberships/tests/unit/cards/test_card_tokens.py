"""Signing a card's token and verifying a scan of it: pure, no database."""

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from itsdangerous import URLSafeSerializer

from kring_memberships.cards import (
    CardStatus,
    MemberCard,
    sign_card,
    verification_url,
    verify_card_token,
)

SECRET = "card-secret-for-tests-0123456789"
OTHER_SECRET = "another-clubs-secret-9876543210"
ISSUED = datetime(2025, 9, 1, 10, 30, tzinfo=UTC)
TODAY = date(2025, 10, 15)

MakeCard = Callable[..., MemberCard]


def test_a_signed_card_verifies_with_its_facts(make_card: MakeCard) -> None:
    card = make_card()
    token = sign_card(card, SECRET, issued_at=ISSUED)

    verification = verify_card_token(token, SECRET, today=TODAY)

    assert verification.status is CardStatus.VALID
    assert verification.is_valid
    assert verification.contact_id == card.contact_id
    assert verification.member_number == "2025-0042"
    assert verification.valid_until == date(2026, 8, 31)
    assert verification.issued_at == ISSUED
    assert "2026-08-31" in verification.reason


def test_a_token_is_url_safe_and_short_enough_for_a_small_qr_code(make_card: MakeCard) -> None:
    token = sign_card(make_card(member_number="FED-2025-000123"), SECRET, issued_at=ISSUED)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert len(token) < 160


def test_a_card_without_end_date_stays_valid(make_card: MakeCard) -> None:
    token = sign_card(make_card(valid_until=None), SECRET, issued_at=ISSUED)

    verification = verify_card_token(token, SECRET, today=date(2040, 1, 1))

    assert verification.status is CardStatus.VALID
    assert verification.valid_until is None
    assert "no end date" in verification.reason


def test_the_last_day_is_valid_and_the_next_expired(make_card: MakeCard) -> None:
    token = sign_card(make_card(), SECRET, issued_at=ISSUED)

    assert verify_card_token(token, SECRET, today=date(2026, 8, 31)).is_valid
    expired = verify_card_token(token, SECRET, today=date(2026, 9, 1))

    assert expired.status is CardStatus.EXPIRED
    assert not expired.is_valid
    assert "2026-08-31" in expired.reason
    # Genuine, so who it belongs to can be shown ("renew your membership").
    assert expired.contact_id == make_card().contact_id


def test_a_token_signed_with_another_secret_is_invalid(make_card: MakeCard) -> None:
    token = sign_card(make_card(), OTHER_SECRET, issued_at=ISSUED)

    verification = verify_card_token(token, SECRET, today=TODAY)

    assert verification.status is CardStatus.INVALID
    assert verification.contact_id is None
    assert verification.member_number is None
    assert "signature" in verification.reason


def _with_char_changed(text: str, index: int) -> str:
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1 :]


def test_any_edited_character_makes_the_token_invalid(make_card: MakeCard) -> None:
    token = sign_card(make_card(), SECRET, issued_at=ISSUED)
    for index in range(len(token)):
        if token[index] == ".":
            continue
        edited = _with_char_changed(token, index)
        verification = verify_card_token(edited, SECRET, today=TODAY)
        assert verification.status is CardStatus.INVALID, f"edit at {index} went unnoticed"


def test_a_forged_payload_with_a_later_date_is_invalid(make_card: MakeCard) -> None:
    genuine = sign_card(make_card(), SECRET, issued_at=ISSUED)
    forged_payload = sign_card(
        make_card(valid_until=date(2099, 12, 31)), OTHER_SECRET, issued_at=ISSUED
    ).rsplit(".", 1)[0]
    # The forger's payload with the genuine card's signature.
    forged = f"{forged_payload}.{genuine.rsplit('.', 1)[1]}"

    assert verify_card_token(forged, SECRET, today=TODAY).status is CardStatus.INVALID


@pytest.mark.parametrize("token", ["", "not-a-token", ".", "a.b.c", "x" * 5000, "é.ü"])
def test_garbage_is_invalid(token: str) -> None:
    assert verify_card_token(token, SECRET, today=TODAY).status is CardStatus.INVALID


@given(st.text(max_size=300))
def test_no_input_makes_verification_raise(token: str) -> None:
    assert verify_card_token(token, SECRET, today=TODAY).status is CardStatus.INVALID


def test_a_token_our_secret_signed_for_another_purpose_is_no_card() -> None:
    elsewhere = URLSafeSerializer(SECRET).dumps(["x", "y", None, 1])
    assert verify_card_token(elsewhere, SECRET, today=TODAY).status is CardStatus.INVALID


def test_cards_signed_before_a_key_rotation_still_verify(make_card: MakeCard) -> None:
    old_card = sign_card(make_card(), OTHER_SECRET, issued_at=ISSUED)
    new_card = sign_card(make_card(), SECRET, issued_at=ISSUED)

    for token in (old_card, new_card):
        assert verify_card_token(token, [OTHER_SECRET, SECRET], today=TODAY).is_valid
    assert not verify_card_token(old_card, [SECRET], today=TODAY).is_valid


def test_a_short_secret_is_refused(make_card: MakeCard) -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        sign_card(make_card(), "secret", issued_at=ISSUED)
    with pytest.raises(ValueError):
        verify_card_token("x.y", b"", today=TODAY)
    with pytest.raises(ValueError):
        verify_card_token("x.y", [], today=TODAY)


def test_issued_at_must_carry_a_time_zone(make_card: MakeCard) -> None:
    with pytest.raises(ValueError, match="timezone"):
        sign_card(make_card(), SECRET, issued_at=datetime(2025, 9, 1, 10, 30))
    brussels_summer = timezone(timedelta(hours=2))
    token = sign_card(
        make_card(), SECRET, issued_at=datetime(2025, 9, 1, 12, 30, tzinfo=brussels_summer)
    )
    assert verify_card_token(token, SECRET, today=TODAY).issued_at == ISSUED


@given(
    contact_id=st.uuids(),
    member_number=st.text(max_size=40),
    valid_until=st.none() | st.dates(),
    issued_at=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
    ),
)
def test_every_card_round_trips(
    contact_id: uuid.UUID, member_number: str, valid_until: date | None, issued_at: datetime
) -> None:
    card = MemberCard(contact_id, "A", "B", member_number, valid_until, "C")
    verification = verify_card_token(
        sign_card(card, SECRET, issued_at=issued_at), SECRET, today=date.min
    )
    assert verification.is_valid
    assert (verification.contact_id, verification.member_number) == (contact_id, member_number)
    assert verification.valid_until == valid_until
    assert verification.issued_at == issued_at.replace(microsecond=0)


def test_the_verification_url_ends_in_the_token() -> None:
    token = "eyJhIjoxfQ.abc-_"
    assert verification_url("https://club.example/cards/verify", token) == (
        "https://club.example/cards/verify/eyJhIjoxfQ.abc-_"
    )
    assert verification_url("https://club.example/cards/verify/", token).endswith(
        "/verify/eyJhIjoxfQ.abc-_"
    )
    # Anything a path segment cannot hold is escaped, never let loose in the URL.
    assert (
        verification_url("http://localhost:8000/v", "a/b?c") == "http://localhost:8000/v/a%2Fb%3Fc"
    )


@pytest.mark.parametrize(
    "base_url",
    ["club.example/verify", "/cards/verify", "ftp://club.example/v", "https://x.example/v?a=1"],
)
def test_a_verification_url_needs_an_absolute_web_base(base_url: str) -> None:
    with pytest.raises(ValueError):
        verification_url(base_url, "token")
