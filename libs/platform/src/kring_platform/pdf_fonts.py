"""The typeface Kring's PDFs are set in (member cards, invoices), found once per process.

Names and addresses come in every script. PDF's built-in Helvetica covers Western European
letters only, so a TrueType font is embedded instead: DejaVu Sans (Debian's
`fonts-dejavu-core`: Latin, Greek, Cyrillic and more) where installed, else Bitstream Vera,
which ships inside reportlab (Western European letters and a few more, such as ł and ğ, but
no ő, ř, ș or Cyrillic), and Helvetica only if neither loads. A character the font lacks
never fails a document: it prints as an empty box.

Only services that declare reportlab (those that render PDFs) import this module.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

logger = logging.getLogger(__name__)

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_REPORTLAB_FONTS = Path(reportlab.__file__).parent / "fonts"


class FontCandidate(NamedTuple):
    """A typeface and its regular and bold TrueType files."""

    typeface: str
    regular: Path
    bold: Path


# Best first.
FONT_CANDIDATES: tuple[FontCandidate, ...] = (
    FontCandidate("DejaVu Sans", _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"),
    FontCandidate(
        "Bitstream Vera Sans", _REPORTLAB_FONTS / "Vera.ttf", _REPORTLAB_FONTS / "VeraBd.ttf"
    ),
)


@dataclass(frozen=True, slots=True)
class PdfFonts:
    """reportlab font names to draw with, and the typeface they are (for logs and reports)."""

    regular: str
    bold: str
    typeface: str


def embeddable_fonts(candidates: Iterable[FontCandidate] = FONT_CANDIDATES) -> PdfFonts:
    """The first candidate that loads, registered with reportlab under names of our own
    (so no other registration of the same file collides); Helvetica if none loads.

    Registering reads the font files: callers keep the result (e.g. `functools.cache`).
    """
    for candidate in candidates:
        if not (candidate.regular.is_file() and candidate.bold.is_file()):
            continue
        regular = f"Kring {candidate.typeface}"
        bold = f"Kring {candidate.typeface} Bold"
        try:
            pdfmetrics.registerFont(TTFont(regular, str(candidate.regular)))
            pdfmetrics.registerFont(TTFont(bold, str(candidate.bold)))
        except (TTFError, OSError) as error:
            logger.warning("font %s not usable: %s", candidate.typeface, error)
            continue
        return PdfFonts(regular=regular, bold=bold, typeface=candidate.typeface)
    logger.warning("no TrueType font for PDFs; text outside Latin-1 will not print")
    return PdfFonts(regular="Helvetica", bold="Helvetica-Bold", typeface="Helvetica")
