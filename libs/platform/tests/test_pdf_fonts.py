"""The PDF typeface: the first candidate that loads, Helvetica when none does."""

from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from kring_platform.pdf_fonts import FONT_CANDIDATES, FontCandidate, embeddable_fonts


def test_the_best_installed_typeface_is_registered() -> None:
    installed = [c for c in FONT_CANDIDATES if c.regular.is_file() and c.bold.is_file()]
    fonts = embeddable_fonts()
    assert fonts.typeface == (installed[0].typeface if installed else "Helvetica")
    # Registered under our own names, usable for drawing.
    assert pdfmetrics.stringWidth("Zoë", fonts.regular, 10) > 0
    assert pdfmetrics.stringWidth("Zoë", fonts.bold, 10) > 0


def test_missing_or_broken_files_fall_through(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    missing = FontCandidate("Missing", tmp_path / "none.ttf", tmp_path / "none-bold.ttf")
    not_a_font = FontCandidate("Broken", broken, broken)
    assert embeddable_fonts([missing, not_a_font]).typeface == "Helvetica"
    vera = FONT_CANDIDATES[-1]
    assert embeddable_fonts([missing, not_a_font, vera]).typeface == vera.typeface
