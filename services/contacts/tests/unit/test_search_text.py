"""The normalisation behind quick search: pure functions, no I/O."""

import pytest

from kring_contacts.search.search_text import (
    contact_search_text,
    fold,
    like_pattern,
    matches_anywhere,
    name_words,
    search_tokens,
    sort_key,
    word_start_pattern,
)


def test_fold_lowercases_strips_accents_and_collapses_whitespace() -> None:
    assert fold("  José   GARCÍA ") == "jose garcia"
    assert fold("Françoise Dupré-Lefèvre") == "francoise dupre-lefevre"
    assert fold("Ærø Søren Łukasz Straße") == "aero soren lukasz strasse"
    assert fold("ﬁle") == "file"  # compatibility ligature


def test_fold_drops_control_characters() -> None:
    assert fold("an\u200bna\x07") == "anna"


def test_search_text_holds_every_searchable_field_normalised() -> None:
    text = contact_search_text(
        first_name="José",
        last_name="Van den Broeck",
        emails=["Jose.VDB@Example.org"],
        phone="+32470123456",
        street="Rue de l'Église",
        number="12-14",
        postcode="1000",
        city="Bruxelles",
        iban="BE68539007547034",
    )
    assert text == (
        "jose van den broeck jose.vdb@example.org 32470123456 0470123456 rue de l'eglise 1214 "
        "1000 bruxelles be68539007547034"
    )


def test_search_text_skips_missing_fields() -> None:
    assert contact_search_text(first_name="Ann", last_name="Lee") == "ann lee"


def test_query_tokens_are_folded_and_distinct() -> None:
    assert search_tokens("  Jose  JOSÉ garcía ") == ["jose", "garcia"]
    assert search_tokens("") == []
    assert search_tokens("   ") == []


def test_query_tokens_of_an_iban_with_spaces_are_parts_of_the_compact_iban() -> None:
    compact = "be68539007547034"
    tokens = search_tokens("BE68 5390 0754 7034")
    assert tokens == ["be68", "5390", "0754", "7034"]
    assert all(token in compact for token in tokens)
    assert search_tokens("be68539007547034") == [compact]


def test_phone_punctuation_is_ignored_on_both_sides() -> None:
    stored = contact_search_text(first_name="A", last_name="B", phone="+32470123456")
    for typed in ("0470 12 34 56", "0470-123456", "(0470) 12", "470123", "+32 470"):
        assert all(token in stored for token in search_tokens(typed, "BE")), typed


@pytest.mark.parametrize(
    "typed", ["0465 31 72 90", "+32 465 31 72 90", "0032465317290", "0465/31.72.90"]
)
def test_a_whole_phone_number_however_typed_is_one_token_of_its_e164_digits(typed: str) -> None:
    stored = contact_search_text(first_name="A", last_name="B", phone="+32465317290")
    assert search_tokens(typed, "BE") == ["32465317290"]
    assert search_tokens(f"Ann {typed}", "BE") == ["ann", "32465317290"]
    assert "32465317290" in stored.split() and "0465317290" in stored.split()


def test_numbers_that_are_not_dialled_numbers_stay_as_typed() -> None:
    # A bare run of digits may be a date or part of an IBAN; a postcode and a house number
    # do not make a phone number.
    assert search_tokens("20261202", "BE") == ["20261202"]
    assert search_tokens("BE68 5390 0754 7034", "BE") == ["be68", "5390", "0754", "7034"]
    assert search_tokens("Kerkstraat 12 9000", "BE") == ["kerkstraat", "12", "9000"]


def test_words_with_letters_keep_their_punctuation() -> None:
    assert search_tokens("jan.peeters@club.be") == ["jan.peeters@club.be"]
    assert search_tokens("B-1000") == ["b-1000"]


def test_like_pattern_takes_wildcards_and_backslash_literally() -> None:
    assert like_pattern("abc") == "%abc%"
    assert like_pattern("50%") == "%50\\%%"
    assert like_pattern("a_b") == "%a\\_b%"
    assert like_pattern("c:\\x") == "%c:\\\\x%"


def test_name_words_split_at_spaces_and_hyphens() -> None:
    assert name_words("Jean-Luc", "Van der Élst") == ["jean", "luc", "van", "der", "elst"]


def test_sort_key_orders_by_last_name_then_first_name() -> None:
    names = [("Zoe", "De"), ("Anna", "De Wit"), ("Bert", "de"), ("Émile", "Dupont")]
    ordered = sorted(names, key=lambda name: sort_key(*name))
    assert ordered == [("Bert", "de"), ("Zoe", "De"), ("Anna", "De Wit"), ("Émile", "Dupont")]


def test_short_tokens_only_match_at_a_word_start() -> None:
    assert not matches_anywhere("an") and not matches_anywhere("a.b")
    assert matches_anywhere("ann") and matches_anywhere("x.ann")
    assert word_start_pattern("an") == "(^| )an"
    assert word_start_pattern(".a(") == "(^| )a\\("


def test_tokens_without_letters_or_digits_are_dropped() -> None:
    assert search_tokens("+ & jan -") == ["jan"]


def test_the_ascii_shortcuts_fold_as_the_general_case_does() -> None:
    """`fold` and `digits` take a shortcut for ASCII text (most of an import): it must give
    what the general, Unicode path gives, control characters and whitespace included."""
    from kring_contacts.search import search_text

    ascii_chars = [chr(code) for code in range(128)]
    samples = [
        *ascii_chars,
        "".join(ascii_chars),
        " Jan\tDe\x1fSmet\x00\r\n 12-14 ",
        "A\x1cB\x1dC\x1eD\x1fE\x0bF\x0cG\x7fH",
        "+32 (0)470/12.34.56",
        "",
    ]
    for text in samples:
        assert fold(text) == search_text._fold_unicode(text), repr(text)
        assert search_text.digits(text) == "".join(ch for ch in text if ch.isdigit())
