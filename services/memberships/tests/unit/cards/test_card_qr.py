"""The QR code of a verification URL: it must read back as the URL, at error correction M
or better."""

import importlib.util
import io

import pytest
import segno
from PIL import Image

from kring_memberships.cards import card_qr_png, card_qr_svg
from kring_memberships.cards.qr_codes import QUIET_ZONE_MODULES, card_qr, dark_runs

URL = (
    "https://members.kv-sint-amands.example/cards/verify/"
    ".eJwlxrkRgDAMBMBeFNszZ3EyUi0MgeWn_xII2GgfOQQ3zkTEYV-eYd59Z66GMX1LEYVaBaj_e4XXq0lpdxhpQX0_mhgQ9g"
    ".G-LJyK-QRKNstehCF6TilzH_r5lJBqDWub8TSKncK3s"
)


def _modules_of_png(png: bytes, scale: int) -> list[list[int]]:
    """The dark (1) and light (0) modules of a PNG QR code, sampled at each module's centre,
    quiet zone left out."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width_modules = image.width // scale
    assert image.width == image.height == width_modules * scale
    return [
        [
            int(image.getpixel((x * scale + scale // 2, y * scale + scale // 2)) < 128)  # type: ignore[operator]
            for x in range(QUIET_ZONE_MODULES, width_modules - QUIET_ZONE_MODULES)
        ]
        for y in range(QUIET_ZONE_MODULES, width_modules - QUIET_ZONE_MODULES)
    ]


def test_error_correction_is_m_or_better_and_never_micro_qr() -> None:
    for url in (URL, "https://x.example/v/a"):
        qr = card_qr(url)
        assert not qr.is_micro
        assert qr.error in ("M", "Q", "H")


def test_the_png_holds_the_urls_qr_code_module_for_module() -> None:
    # Re-encoding the URL independently gives the very modules the PNG shows: the picture is
    # the code of this URL, with its quiet zone, nothing cropped or scaled wrong.
    expected = segno.make_qr(URL, error="m", boost_error=True).matrix
    modules = _modules_of_png(card_qr_png(URL, scale=6), scale=6)
    assert modules == [list(row) for row in expected]


@pytest.mark.skipif(
    importlib.util.find_spec("zxingcpp") is None, reason="no QR decoder (zxing-cpp) installed"
)
def test_the_png_decodes_back_to_the_url() -> None:
    import zxingcpp  # type: ignore[import-not-found,unused-ignore]

    decoded = zxingcpp.read_barcode(Image.open(io.BytesIO(card_qr_png(URL))))
    assert decoded is not None
    assert decoded.text == URL


def test_the_svg_is_a_standalone_svg_document() -> None:
    svg = card_qr_svg(URL)
    assert svg.startswith("<svg")
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert svg.rstrip().endswith("</svg>")


def test_the_vector_runs_cover_exactly_the_dark_modules() -> None:
    size, runs = dark_runs(URL)
    drawn = [[0] * size for _ in range(size)]
    for row, column, length in runs:
        for x in range(column, column + length):
            assert drawn[row][x] == 0, "runs overlap"
            drawn[row][x] = 1
    assert drawn == [list(row) for row in card_qr(URL).matrix]
