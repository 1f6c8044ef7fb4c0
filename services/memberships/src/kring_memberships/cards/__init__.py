"""Member cards: a signed token for the card's QR code, its verification, and the card as PDF.

Pure functions — no database, no HTTP, no clock: the service passes in what it looked up
(the card's facts, the secret, the verify endpoint's public URL, today's date in the
organisation's time zone) and serves what comes out.

Issuing a card::

    card = MemberCard(
        contact_id=contact.id,
        full_name="Zoë Łukasiewicz",
        membership_type="Senior",
        member_number="2025-0042",
        valid_until=date(2026, 8, 31),   # last valid day; None: no end date
        organisation_name="KV Sint-Amands",
    )
    token = sign_card(card, settings.card_secret, issued_at=now)
    url = verification_url("https://members.club.example/cards/verify", token)
    pdf = card_pdf(card, url)                      # one 85.6 x 54 mm page
    sheet = card_sheet_pdf([(card, url), ...])     # A4, 2 x 5 cards a page, crop marks

Verifying a scan (the verify endpoint receives the token as the URL's last segment)::

    verification = verify_card_token(token, settings.card_secret, today=local_today)
    verification.status        # CardStatus.VALID / EXPIRED / INVALID
    verification.reason        # a sentence to show the person scanning
    verification.contact_id    # set when genuine (valid or expired), None when invalid

A token is an itsdangerous URL-safe string, HMAC-SHA256 signed, carrying the contact id,
member number, valid-until date and issue time (about 140 characters). Edited tokens and
tokens signed with another secret are INVALID; genuine ones past their valid-until day are
EXPIRED. The secret needs at least 16 bytes; `verify_card_token` also takes a list of
secrets, oldest first, to keep accepting cards across a key rotation. A genuine token proves
what was printed, not that the membership still holds: the service also checks the current
membership (ended early, or the card reissued after `issued_at`).

`card_qr_png(url)` and `card_qr_svg(url)` give the QR code alone (error correction M or
better), e.g. for a member's page. `CardLabels` sets the card's fixed words for a club that
prints them in another language. Text is set in DejaVu Sans if installed (Debian's
`fonts-dejavu-core`: Latin, Greek, Cyrillic), else in Bitstream Vera shipped with reportlab
(Western European letters), else Helvetica; see `card_fonts`. A letter the font lacks
prints as an empty box, never an error. Long names shrink, wrap to two or three lines, and
as a last resort end in an ellipsis: they never run over the QR code or off the card.

Rendering is CPU-bound, about 40-70 ms a card (segno chooses the QR mask in pure Python), so
a request handler runs it off the event loop, e.g. `await asyncio.to_thread(card_sheet_pdf,
cards)`: a sheet of 500 members takes half a minute.
"""

from kring_memberships.cards.fonts import CardFonts, card_fonts
from kring_memberships.cards.member_card import CardLabels, MemberCard
from kring_memberships.cards.pdf import CARDS_PER_SHEET, card_pdf, card_sheet_pdf
from kring_memberships.cards.qr_codes import card_qr_png, card_qr_svg
from kring_memberships.cards.tokens import (
    CardStatus,
    CardVerification,
    sign_card,
    verification_url,
    verify_card_token,
)

__all__ = [
    "CARDS_PER_SHEET",
    "CardFonts",
    "CardLabels",
    "CardStatus",
    "CardVerification",
    "MemberCard",
    "card_fonts",
    "card_pdf",
    "card_qr_png",
    "card_qr_svg",
    "card_sheet_pdf",
    "sign_card",
    "verification_url",
    "verify_card_token",
]
