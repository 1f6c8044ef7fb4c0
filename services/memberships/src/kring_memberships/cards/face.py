"""The face of one member card, drawn on a reportlab canvas with its lower left corner at the
origin, so a single-card PDF and a sheet of cards draw the very same card.

    +------------------------------------------------+
    | Organisation name                  Member card |  coloured band
    +------------------------------------------------+
    | Full name, wrapped to                +-------+ |
    | two or three lines if long           |  QR   | |
    | Membership type                      | code  | |
    | MEMBER NO.      VALID UNTIL          +-------+ |
    | 2025-0042       2026-08-31        Scan to verify|
    +------------------------------------------------+
"""

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kring_memberships.cards.fonts import CardFonts
from kring_memberships.cards.member_card import CardLabels, MemberCard
from kring_memberships.cards.qr_codes import QUIET_ZONE_MODULES, dark_runs
from kring_memberships.cards.text_fit import LEADING, FittedText, ellipsise, fit_text, printable

# ISO/IEC 7810 ID-1, the size of a bank card: fits every wallet and card sleeve.
CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 54 * mm

_PAD = 5 * mm
_BAND_HEIGHT = 11 * mm
# The QR code with its quiet zone; at the ~65 modules of our URLs a module is 0.43 mm, well
# above what phone cameras read from a hand's length.
_QR_SIZE = 28 * mm
_QR_RIGHT = 2 * mm
_QR_BOTTOM = 8 * mm
_QR_LEFT = CARD_WIDTH - _QR_RIGHT - _QR_SIZE
# Text stays out of the QR code's quiet zone, or scanners lose the code's edge.
_TEXT_RIGHT = _QR_LEFT - 0.5 * mm
_TEXT_WIDTH = _TEXT_RIGHT - _PAD

# Field values (member number, valid until): full size, and the least before they are
# stacked instead of side by side.
_FIELD_SIZE = 10.0
_FIELD_MIN = 7.5

# Cap height of DejaVu Sans and Vera as a share of the font size, to place text by the top
# of its capitals.
_CAP_HEIGHT = 0.73

_BAND = HexColor("#1F3A5F")
_INK = HexColor("#111827")
_MUTED = HexColor("#4B5563")
_LABEL = HexColor("#6B7280")
_BAND_MUTED = HexColor("#C7D2E0")


def _draw_fitted(
    canvas: Canvas, fitted: FittedText, *, font: str, x: float, first_baseline: float, color: Color
) -> None:
    """The lines at the size the fit chose, one under the other."""
    canvas.setFont(font, fitted.size)
    canvas.setFillColor(color)
    leading = fitted.size * LEADING
    for index, line in enumerate(fitted.lines):
        canvas.drawString(x, first_baseline - index * leading, line)


def _draw_band(canvas: Canvas, card: MemberCard, labels: CardLabels, fonts: CardFonts) -> None:
    bottom = CARD_HEIGHT - _BAND_HEIGHT
    canvas.setFillColor(_BAND)
    canvas.rect(0, bottom, CARD_WIDTH, _BAND_HEIGHT, stroke=0, fill=1)

    title_size = 6.5
    title = ellipsise(labels.title, fonts.regular, title_size, 25 * mm)
    title_width = stringWidth(title, fonts.regular, title_size)
    canvas.setFont(fonts.regular, title_size)
    canvas.setFillColor(_BAND_MUTED)
    title_baseline = bottom + (_BAND_HEIGHT - title_size * _CAP_HEIGHT) / 2
    canvas.drawRightString(CARD_WIDTH - _PAD, title_baseline, title)

    organisation = fit_text(
        card.organisation_name,
        fonts.bold,
        max_width=CARD_WIDTH - 2 * _PAD - title_width - 3 * mm,
        max_size=10.5,
        min_size=6,
        max_lines=2,
    )
    leading = organisation.size * LEADING
    # Centre the block of one or two lines on the band by the top of its capitals.
    cap = organisation.size * _CAP_HEIGHT
    block = cap + leading * (len(organisation.lines) - 1)
    _draw_fitted(
        canvas,
        organisation,
        font=fonts.bold,
        x=_PAD,
        first_baseline=bottom + (_BAND_HEIGHT + block) / 2 - cap,
        color=white,
    )


def _draw_qr(canvas: Canvas, verify_url: str, labels: CardLabels, fonts: CardFonts) -> None:
    width, runs = dark_runs(verify_url)
    module = _QR_SIZE / (width + 2 * QUIET_ZONE_MODULES)
    left = _QR_LEFT + QUIET_ZONE_MODULES * module
    top = _QR_BOTTOM + _QR_SIZE - QUIET_ZONE_MODULES * module
    canvas.setFillColor(white)
    canvas.rect(_QR_LEFT, _QR_BOTTOM, _QR_SIZE, _QR_SIZE, stroke=0, fill=1)
    # One path of every dark run, filled at once: a vector code stays sharp at any zoom and
    # on any printer, and is a few kB where an embedded image would be more.
    path = canvas.beginPath()
    for row, column, length in runs:
        path.rect(left + column * module, top - (row + 1) * module, length * module, module)
    canvas.setFillColor(_INK)
    canvas.drawPath(path, stroke=0, fill=1)

    caption_size = 5.5
    caption = ellipsise(labels.scan_to_verify, fonts.regular, caption_size, _QR_SIZE)
    canvas.setFont(fonts.regular, caption_size)
    canvas.setFillColor(_LABEL)
    canvas.drawCentredString(_QR_LEFT + _QR_SIZE / 2, _QR_BOTTOM - 1 * mm, caption)


def _draw_fields(
    canvas: Canvas, number: tuple[str, str], until: tuple[str, str], fonts: CardFonts
) -> None:
    """The labelled member number and valid-until date at the foot of the text column: side
    by side, or one under the other when side by side would shrink them below `_FIELD_MIN`.
    A member number is an identifier, never to be cut short: when it is long, side by side
    each column gets the share of the width its value needs."""
    gap = 3 * mm
    free = _TEXT_WIDTH - gap
    fields = [number, until]
    values = [printable(value) for _, value in fields]
    natural = [max(stringWidth(value, fonts.bold, _FIELD_SIZE), 1.0) for value in values]
    size = min(_FIELD_SIZE, _FIELD_SIZE * free / sum(natural))
    if natural[0] <= free * 0.45 and natural[1] <= free * 0.55:
        widths: list[float] | None = [free * 0.45, free * 0.55]
    elif size >= _FIELD_MIN:
        widths = [free * need / sum(natural) for need in natural]
    else:
        widths = None
    # (x, label baseline, value baseline, width) per field.
    if widths is not None:
        places = [
            (_PAD, 13.5 * mm, 9 * mm, widths[0]),
            (_PAD + widths[0] + gap, 13.5 * mm, 9 * mm, widths[1]),
        ]
    else:
        size = _FIELD_SIZE
        places = [
            (_PAD, 17.5 * mm, 14 * mm, _TEXT_WIDTH),
            (_PAD, 9.5 * mm, 6 * mm, _TEXT_WIDTH),
        ]
    label_size = 5.5
    for (label, _), value, (x, label_y, value_y, width) in zip(fields, values, places, strict=True):
        canvas.setFont(fonts.regular, label_size)
        canvas.setFillColor(_LABEL)
        canvas.drawString(x, label_y, ellipsise(label.upper(), fonts.regular, label_size, width))
        fitted = fit_text(value, fonts.bold, max_width=width, max_size=size, min_size=6)
        _draw_fitted(canvas, fitted, font=fonts.bold, x=x, first_baseline=value_y, color=_INK)


def draw_card_face(
    canvas: Canvas, card: MemberCard, verify_url: str, *, labels: CardLabels, fonts: CardFonts
) -> None:
    """Draws `card` in the rectangle from (0, 0) to (CARD_WIDTH, CARD_HEIGHT) of `canvas`."""
    canvas.saveState()
    canvas.setFillColor(white)
    canvas.rect(0, 0, CARD_WIDTH, CARD_HEIGHT, stroke=0, fill=1)
    _draw_band(canvas, card, labels, fonts)

    # Room for two lines at full size, or three smaller ones for a long name.
    name_size = 14
    name = fit_text(
        card.full_name,
        fonts.bold,
        max_width=_TEXT_WIDTH,
        max_size=name_size,
        min_size=7,
        max_lines=3,
        max_height=name_size * (1 + LEADING),
    )
    name_top = CARD_HEIGHT - _BAND_HEIGHT - 4 * mm
    _draw_fitted(
        canvas,
        name,
        font=fonts.bold,
        x=_PAD,
        first_baseline=name_top - name.size * _CAP_HEIGHT,
        color=_INK,
    )

    membership_type = fit_text(
        card.membership_type, fonts.regular, max_width=_TEXT_WIDTH, max_size=9.5, min_size=6
    )
    _draw_fitted(
        canvas, membership_type, font=fonts.regular, x=_PAD, first_baseline=22.5 * mm, color=_MUTED
    )

    _draw_fields(
        canvas,
        (labels.member_number, card.member_number),
        (labels.valid_until, labels.valid_until_text(card.valid_until)),
        fonts,
    )
    _draw_qr(canvas, verify_url, labels, fonts)
    canvas.restoreState()
