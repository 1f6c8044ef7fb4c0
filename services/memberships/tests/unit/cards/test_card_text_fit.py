"""Fitting names into a card's boxes: never wider than the box, as large as it fits."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from kring_memberships.cards import card_fonts
from kring_memberships.cards.text_fit import ELLIPSIS, fit_text, printable

WIDTH = 140.0


@pytest.fixture(scope="module")
def bold() -> str:
    return card_fonts().bold


def test_a_short_name_keeps_its_full_size_on_one_line(bold: str) -> None:
    fitted = fit_text("Ann Lee", bold, max_width=WIDTH, max_size=14, min_size=7, max_lines=2)
    assert fitted.lines == ("Ann Lee",)
    assert fitted.size == 14


def test_a_long_name_wraps_at_a_space_or_hyphen_before_it_shrinks_far(bold: str) -> None:
    fitted = fit_text(
        "Marie-Claire Vandenbroucke", bold, max_width=WIDTH, max_size=14, min_size=7, max_lines=2
    )
    assert fitted.lines == ("Marie-Claire", "Vandenbroucke")
    assert fitted.size == 14

    hyphenated = fit_text(
        "Zoë Łukasiewicz-Ørsted", bold, max_width=WIDTH, max_size=14, min_size=7, max_lines=2
    )
    assert hyphenated.lines == ("Zoë Łukasiewicz-", "Ørsted")


def test_a_very_long_name_uses_a_third_line_only_where_the_height_allows(bold: str) -> None:
    name = "Jean-Baptiste Emmanuel Vandenberghe-Dewulf de la Kethulle de Ryhove"
    fitted = fit_text(
        name, bold, max_width=WIDTH, max_size=14, min_size=7, max_lines=3, max_height=14 * 2.15
    )
    assert len(fitted.lines) == 3
    assert " ".join(fitted.lines).replace("- ", "-") == name
    height = fitted.size + 1.15 * fitted.size * (len(fitted.lines) - 1)
    assert height <= 14 * 2.15


def test_what_does_not_fit_at_the_smallest_size_ends_in_an_ellipsis(bold: str) -> None:
    fitted = fit_text("W" * 200, bold, max_width=WIDTH, max_size=14, min_size=7, max_lines=2)
    assert fitted.size == 7
    assert len(fitted.lines) == 2
    assert fitted.lines[-1].endswith(ELLIPSIS)

    one_line = fit_text("FED-BE-2025-000000123456", bold, max_width=60, max_size=10, min_size=6)
    assert one_line.lines == (one_line.lines[0],)
    assert one_line.lines[0].startswith("FED-BE-2025-0")
    assert one_line.lines[0].endswith(ELLIPSIS)


def test_printable_composes_and_drops_what_cannot_be_drawn() -> None:
    assert printable("  Zoe\u0308\tvan\n den\u200b Berg\x07 ") == "Zoë van den Berg"
    assert printable("a\ud800b") == "ab"
    assert printable("\x00 \n") == ""


@settings(max_examples=300)
@given(
    text=st.text(),
    max_lines=st.integers(min_value=1, max_value=3),
    width=st.floats(min_value=40, max_value=200),
)
def test_no_text_is_ever_wider_than_its_box(
    bold: str, text: str, max_lines: int, width: float
) -> None:
    fitted = fit_text(text, bold, max_width=width, max_size=14, min_size=7, max_lines=max_lines)
    assert len(fitted.lines) <= max_lines
    assert 7 <= fitted.size <= 14
    for line in fitted.lines:
        assert stringWidth(line, bold, fitted.size) <= width + 1e-6
