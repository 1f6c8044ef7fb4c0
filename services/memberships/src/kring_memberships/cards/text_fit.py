"""Fitting a line of card text into its box: shrink, wrap, and as a last resort cut off
with an ellipsis, so no name is ever printed over the QR code or off the card."""

import re
import unicodedata
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

ELLIPSIS = "\u2026"
# Steps of half a point: finer steps make no visible difference in print.
_SIZE_STEP = 0.5
# A name is shrunk on one line down to this share of its full size before it is wrapped:
# slightly smaller reads better than broken, much smaller does not.
_ONE_LINE_SHRINK = 0.8
# No card line shows more; a longer text is only cut off, after bounded work.
_MAX_CHARACTERS = 400
# Line spacing as a multiple of the font size.
LEADING = 1.15
_SPACES = re.compile(r"\s+")
# Where a word may break without a hyphen being added: after one it already has.
_AFTER_HYPHEN = re.compile(r"(?<=-)(?=[^-])")


@dataclass(frozen=True, slots=True)
class FittedText:
    lines: tuple[str, ...]
    size: float


def printable(text: str) -> str:
    """`text` as it can be drawn: composed (NFC, so "e" + combining acute prints as one
    "é"), whitespace collapsed to single spaces, and control, format, surrogate, private and
    unassigned characters dropped — they draw nothing sensible and some break PDF text."""
    composed = unicodedata.normalize("NFC", text[: _MAX_CHARACTERS * 2])
    spaced = _SPACES.sub(" ", composed)
    kept = "".join(ch for ch in spaced if not unicodedata.category(ch).startswith("C"))
    return kept.strip()[:_MAX_CHARACTERS]


def _sizes(max_size: float, min_size: float) -> list[float]:
    sizes: list[float] = []
    size = max_size
    while size > min_size:
        sizes.append(size)
        size -= _SIZE_STEP
    return [*sizes, min_size]


def _pieces(text: str) -> list[tuple[str, str]]:
    """The breakable pieces of `text`, each with the glue that joins it to the one before:
    a space between words, nothing after a hyphen inside a word."""
    pieces: list[tuple[str, str]] = []
    for word in text.split(" "):
        for index, piece in enumerate(_AFTER_HYPHEN.split(word)):
            pieces.append((piece, "" if index else " "))
    return pieces


def _chunks(piece: str, font: str, size: float, max_width: float) -> list[str]:
    """`piece` cut between characters into parts no wider than `max_width` (each at least one
    character). Widths add up glyph by glyph: reportlab does not kern."""
    chunks: list[str] = []
    chunk = ""
    width = 0.0
    for ch in piece:
        ch_width = stringWidth(ch, font, size)
        if chunk and width + ch_width > max_width:
            chunks.append(chunk)
            chunk, width = "", 0.0
        chunk, width = chunk + ch, width + ch_width
    return [*chunks, chunk]


def _wrap(
    text: str, font: str, size: float, max_width: float, *, break_words: bool
) -> list[tuple[int, str]] | None:
    """Greedy wrap at spaces and hyphens: each line with the offset in `text` where it
    starts. A piece wider than a line on its own is cut between characters if
    `break_words`, else there is no wrap (None)."""
    lines: list[tuple[int, str]] = []
    line_start, line = 0, ""
    offset = 0
    for piece, glue in _pieces(text):
        if line:
            offset += len(glue)
        candidate = f"{line}{glue}{piece}" if line else piece
        if stringWidth(candidate, font, size) <= max_width:
            line = candidate
        else:
            if line:
                lines.append((line_start, line))
            if stringWidth(piece, font, size) <= max_width:
                line_start, line = offset, piece
            elif break_words:
                start = offset
                for chunk in _chunks(piece, font, size, max_width):
                    lines.append((start, chunk))
                    start += len(chunk)
                line_start, line = lines.pop()
            else:
                return None
        offset += len(piece)
    return [*lines, (line_start, line)]


def ellipsise(text: str, font: str, size: float, max_width: float) -> str:
    """`text`, or as much of its start as fits with an ellipsis after it."""
    if stringWidth(text, font, size) <= max_width:
        return text
    return _cut(text, font, size, max_width)


def _cut(text: str, font: str, size: float, max_width: float) -> str:
    """As much of the start of `text` as fits followed by an ellipsis."""
    room = max_width - stringWidth(ELLIPSIS, font, size)
    kept = ""
    width = 0.0
    for ch in text:
        width += stringWidth(ch, font, size)
        if width > room:
            break
        kept += ch
    return kept.rstrip() + ELLIPSIS


def _line_budget(size: float, max_lines: int, max_height: float | None) -> int:
    if max_height is None:
        return max_lines
    return max(1, min(max_lines, 1 + int((max_height - size) / (size * LEADING))))


def fit_text(
    text: str,
    font: str,
    *,
    max_width: float,
    max_size: float,
    min_size: float,
    max_lines: int = 1,
    max_height: float | None = None,
) -> FittedText:
    """The largest size (from `max_size` down to `min_size`) at which `text` fits in lines of
    `max_width` points: first on one line, then wrapped at spaces and hyphens into at most
    `max_lines` lines — fewer where `max_height` (first line's size plus `LEADING` times the
    size for each further line) allows fewer. At `min_size`, a word too long for a line is
    cut, and the last line ends in an ellipsis if text is left over. Every returned line is
    at most `max_width` wide."""
    text = printable(text)
    if not text:
        return FittedText(lines=(), size=max_size)
    sizes = _sizes(max_size, min_size)
    one_line_floor = max_size * _ONE_LINE_SHRINK if max_lines > 1 else min_size
    for size in sizes:
        if size >= one_line_floor and stringWidth(text, font, size) <= max_width:
            return FittedText(lines=(text,), size=size)
    if max_lines > 1:
        for size in sizes:
            wrapped = _wrap(text, font, size, max_width, break_words=False)
            if wrapped is not None and len(wrapped) <= _line_budget(size, max_lines, max_height):
                return FittedText(lines=tuple(line for _, line in wrapped), size=size)
    wrapped = _wrap(text, font, min_size, max_width, break_words=True) or [(0, text)]
    budget = _line_budget(min_size, max_lines, max_height)
    lines = [line for _, line in wrapped[:budget]]
    if len(wrapped) > budget:
        # The last line takes all that is left, cut: the ellipsis says there is more than
        # the card shows.
        lines[-1] = _cut(text[wrapped[budget - 1][0] :], font, min_size, max_width)
    return FittedText(lines=tuple(lines), size=min_size)
