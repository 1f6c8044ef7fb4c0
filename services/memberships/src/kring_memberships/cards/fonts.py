"""The typeface cards are printed in, chosen once per process (see kring_platform.pdf_fonts:
DejaVu Sans where installed, else reportlab's Bitstream Vera, else Helvetica)."""

import functools

from kring_platform.pdf_fonts import FONT_CANDIDATES, FontCandidate, embeddable_fonts
from kring_platform.pdf_fonts import PdfFonts as CardFonts

__all__ = ["CardFonts", "card_fonts"]

# Best first; tests narrow it to act as a machine without DejaVu.
_CANDIDATES: list[FontCandidate] = list(FONT_CANDIDATES)


@functools.cache
def card_fonts() -> CardFonts:
    """The first candidate typeface that loads, registered with reportlab."""
    return embeddable_fonts(_CANDIDATES)
