"""The QR code of a card's verification URL, as PNG, SVG, or modules for the PDF to draw."""

import io

import segno

# The 4-module quiet zone the QR standard asks for; scanners miss codes without it.
QUIET_ZONE_MODULES = 4


def card_qr(url: str) -> segno.QRCode:
    """The QR code for `url`: a full QR code (never Micro QR, which phone cameras do not all
    read) with error correction M, raised to Q or H where that fits in the same size — a
    card is carried in a wallet and gets scratched."""
    return segno.make_qr(url, error="m", boost_error=True)


def card_qr_png(url: str, *, scale: int = 8) -> bytes:
    """A PNG of the QR code, `scale` pixels a module, with its quiet zone."""
    out = io.BytesIO()
    card_qr(url).save(out, kind="png", scale=scale, border=QUIET_ZONE_MODULES)
    return out.getvalue()


def card_qr_svg(url: str, *, scale: int = 4) -> str:
    """A standalone SVG document of the QR code (no XML declaration, so it can also be
    inlined in HTML), `scale` user units a module, with its quiet zone."""
    out = io.BytesIO()
    card_qr(url).save(out, kind="svg", scale=scale, border=QUIET_ZONE_MODULES, xmldecl=False)
    return out.getvalue().decode()


def dark_runs(url: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR code as horizontal runs of dark modules, for vector drawing: the symbol's
    width in modules (without quiet zone) and `(row, first column, length)` per run, rows
    counted from the top. Runs rather than single modules give fewer shapes and no hairline
    seams between neighbouring modules when a viewer anti-aliases."""
    matrix = card_qr(url).matrix
    runs: list[tuple[int, int, int]] = []
    for row_index, row in enumerate(matrix):
        start: int | None = None
        for column, module in enumerate([*row, 0]):
            if module and start is None:
                start = column
            elif not module and start is not None:
                runs.append((row_index, start, column - start))
                start = None
    return len(matrix), runs
