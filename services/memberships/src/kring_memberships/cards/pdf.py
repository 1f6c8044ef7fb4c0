"""Member cards as PDF documents: one card on a card-sized page, or sheets of cards on A4
to print and cut."""

import io
from collections.abc import Sequence

from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kring_memberships.cards.face import CARD_HEIGHT, CARD_WIDTH, draw_card_face
from kring_memberships.cards.fonts import card_fonts
from kring_memberships.cards.member_card import CardLabels, MemberCard
from kring_memberships.cards.text_fit import printable

SHEET_COLUMNS = 2
SHEET_ROWS = 5
CARDS_PER_SHEET = SHEET_COLUMNS * SHEET_ROWS

# The cards touch, so one straight cut separates two of them; what is left of A4 is margin,
# centred: 19.4 mm left and right, 13.5 mm top and bottom — inside what printers can print.
_SHEET_LEFT = (A4[0] - SHEET_COLUMNS * CARD_WIDTH) / 2
_SHEET_BOTTOM = (A4[1] - SHEET_ROWS * CARD_HEIGHT) / 2
# Crop marks start a little off the grid, so a cut slightly off the line leaves none on a card.
_MARK_OFFSET = 2 * mm
_MARK_LENGTH = 6 * mm
_BORDER = HexColor("#C8CDD3")


def _new_canvas(out: io.BytesIO, pagesize: tuple[float, float], title: str) -> Canvas:
    # invariant: no creation date or random document id, so the same cards give the same
    # bytes (cacheable, comparable in tests).
    canvas = Canvas(out, pagesize=pagesize, invariant=True, pageCompression=True)
    canvas.setTitle(title)
    canvas.setCreator("Kring")
    return canvas


def card_pdf(card: MemberCard, verify_url: str, *, labels: CardLabels | None = None) -> bytes:
    """A one-page PDF of exactly one card (85.6 x 54 mm), the QR code carrying `verify_url`."""
    out = io.BytesIO()
    canvas = _new_canvas(out, (CARD_WIDTH, CARD_HEIGHT), f"Member card {printable(card.full_name)}")
    canvas.setAuthor(printable(card.organisation_name))
    draw_card_face(canvas, card, verify_url, labels=labels or CardLabels(), fonts=card_fonts())
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw_crop_marks(canvas: Canvas) -> None:
    left, bottom = _SHEET_LEFT, _SHEET_BOTTOM
    right = left + SHEET_COLUMNS * CARD_WIDTH
    top = bottom + SHEET_ROWS * CARD_HEIGHT
    canvas.setStrokeColor(black)
    canvas.setLineWidth(0.3)
    for column in range(SHEET_COLUMNS + 1):
        x = left + column * CARD_WIDTH
        canvas.line(x, top + _MARK_OFFSET, x, top + _MARK_OFFSET + _MARK_LENGTH)
        canvas.line(x, bottom - _MARK_OFFSET, x, bottom - _MARK_OFFSET - _MARK_LENGTH)
    for row in range(SHEET_ROWS + 1):
        y = bottom + row * CARD_HEIGHT
        canvas.line(left - _MARK_OFFSET, y, left - _MARK_OFFSET - _MARK_LENGTH, y)
        canvas.line(right + _MARK_OFFSET, y, right + _MARK_OFFSET + _MARK_LENGTH, y)


def card_sheet_pdf(
    cards: Sequence[tuple[MemberCard, str]], *, labels: CardLabels | None = None
) -> bytes:
    """A4 pages of cards to print and cut, 2 columns x 5 rows a page, filled row by row
    from the top left, with crop marks in the margins and a light border round each card.
    `cards` pairs each card with its verification URL; at least one is needed."""
    if not cards:
        raise ValueError("A sheet of member cards needs at least one card.")
    labels = labels or CardLabels()
    fonts = card_fonts()
    out = io.BytesIO()
    canvas = _new_canvas(out, A4, "Member cards")
    for page_start in range(0, len(cards), CARDS_PER_SHEET):
        _draw_crop_marks(canvas)
        page = cards[page_start : page_start + CARDS_PER_SHEET]
        for index, (card, verify_url) in enumerate(page):
            row, column = divmod(index, SHEET_COLUMNS)
            x = _SHEET_LEFT + column * CARD_WIDTH
            y = _SHEET_BOTTOM + (SHEET_ROWS - 1 - row) * CARD_HEIGHT
            canvas.saveState()
            canvas.translate(x, y)
            draw_card_face(canvas, card, verify_url, labels=labels, fonts=fonts)
            # A hairline edge for scissors where no guillotine is at hand.
            canvas.setStrokeColor(_BORDER)
            canvas.setLineWidth(0.25)
            canvas.rect(0, 0, CARD_WIDTH, CARD_HEIGHT, stroke=1, fill=0)
            canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return out.getvalue()
