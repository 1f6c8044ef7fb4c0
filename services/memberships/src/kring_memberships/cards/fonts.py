"""The typeface cards are printed in, chosen once per process.

Members' names come in every script. PDF's built-in Helvetica covers Western European
letters only, so a TrueType font is embedded instead: DejaVu Sans (Debian's
`fonts-dejavu-core`: Latin, Greek, Cyrillic and more) where installed, else Bitstream Vera,
which ships inside reportlab (Western European letters and a few more, such as ł and ğ, but
no ő, ř, ș or Cyrillic), and Helvetica only if neither loads. A character the font lacks
never fails a card: it prints as an empty box.
"""

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

logger = logging.getLogger(__name__)

_REGISTERED_REGULAR = "KringCard"
_REGISTERED_BOLD = "KringCard-Bold"

# (name, regular file, bold file), best first.
_CANDIDATES: list[tuple[str, Path, Path]] = [
    (
        "DejaVu Sans",
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        "Bitstream Vera Sans",
        Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
        Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
    ),
]


@dataclass(frozen=True, slots=True)
class CardFonts:
    """reportlab font names to draw with, and the typeface they are (for logs and reports)."""

    regular: str
    bold: str
    typeface: str


@functools.cache
def card_fonts() -> CardFonts:
    """The first candidate typeface that loads, registered with reportlab under names of
    our own (so no other module's registration of the same file collides)."""
    for typeface, regular, bold in _CANDIDATES:
        if not (regular.is_file() and bold.is_file()):
            continue
        try:
            pdfmetrics.registerFont(TTFont(_REGISTERED_REGULAR, str(regular)))
            pdfmetrics.registerFont(TTFont(_REGISTERED_BOLD, str(bold)))
        except (TTFError, OSError) as error:
            logger.warning("card font %s not usable: %s", typeface, error)
            continue
        return CardFonts(regular=_REGISTERED_REGULAR, bold=_REGISTERED_BOLD, typeface=typeface)
    logger.warning("no TrueType font for member cards; names outside Latin-1 will not print")
    return CardFonts(regular="Helvetica", bold="Helvetica-Bold", typeface="Helvetica")
