"""Cards as PDF: the page count and sizes a printer sees, and names of any script drawn
without failing."""

import importlib.util
import io
import re
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kring_memberships.cards import MemberCard, card_fonts, card_pdf, card_sheet_pdf, fonts
from kring_memberships.cards.member_card import CardLabels

MakeCard = Callable[..., MemberCard]

MM = 72 / 25.4
CARD_SIZE = (85.6 * MM, 54 * MM)
A4_SIZE = (210 * MM, 297 * MM)
URL = "https://members.club.example/cards/verify/eyJhIjoxfQ.c2lnbmF0dXJl"

_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of every page, read by pypdf where installed, else from the page
    objects reportlab writes uncompressed (one /MediaBox per page, no object streams)."""
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    if importlib.util.find_spec("pypdf") is not None:
        from pypdf import PdfReader  # type: ignore[import-not-found,unused-ignore]

        return [
            (float(page.mediabox.width), float(page.mediabox.height))
            for page in PdfReader(io.BytesIO(pdf)).pages
        ]
    boxes = _MEDIA_BOX.findall(pdf)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == len(boxes)  # "/Pages" is no match
    assert re.search(rb"/Count\s+%d\b" % len(boxes), pdf)
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


def assert_size(actual: tuple[float, float], expected: tuple[float, float]) -> None:
    assert actual == pytest.approx(expected, abs=0.01)


@pytest.fixture(params=["Bitstream Vera Sans", "Helvetica"])
def fallback_typeface(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A machine without DejaVu (a slim container image): reportlab's own Vera, or with
    that gone too, no TrueType font at all."""
    kept = [candidate for candidate in fonts._CANDIDATES if candidate[0] == request.param]
    monkeypatch.setattr(fonts, "_CANDIDATES", kept)
    card_fonts.cache_clear()
    yield request.param
    card_fonts.cache_clear()


def test_a_card_is_one_credit_card_sized_page(make_card: MakeCard) -> None:
    sizes = page_sizes(card_pdf(make_card(), URL))
    assert len(sizes) == 1
    assert_size(sizes[0], CARD_SIZE)


def test_the_same_card_gives_the_same_bytes(make_card: MakeCard) -> None:
    assert card_pdf(make_card(), URL) == card_pdf(make_card(), URL)


def test_the_text_is_set_in_an_embedded_unicode_font(make_card: MakeCard) -> None:
    pdf = card_pdf(make_card(full_name="Дмитрий Ωμέγα"), URL)
    assert card_fonts().typeface in ("DejaVu Sans", "Bitstream Vera Sans")
    assert b"/FontFile2" in pdf  # an embedded TrueType program


@pytest.mark.parametrize(
    ("count", "pages"), [(1, 1), (9, 1), (10, 1), (11, 2), (20, 2), (23, 3), (31, 4)]
)
def test_a_sheet_has_ten_cards_an_a4_page(make_card: MakeCard, count: int, pages: int) -> None:
    cards = [(make_card(member_number=f"2025-{n:04d}"), f"{URL}{n}") for n in range(count)]
    sizes = page_sizes(card_sheet_pdf(cards))
    assert len(sizes) == pages
    for size in sizes:
        assert_size(size, A4_SIZE)


def test_a_sheet_without_cards_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        card_sheet_pdf([])


def test_a_card_prints_with_own_labels_and_no_end_date(make_card: MakeCard) -> None:
    labels = CardLabels(
        title="Lidkaart",
        member_number="Lidnummer",
        valid_until="Geldig tot",
        no_end_date="onbepaald",
        scan_to_verify="Scan om te controleren",
        date_format="%d/%m/%Y",
    )
    assert labels.valid_until_text(None) == "onbepaald"
    assert len(page_sizes(card_pdf(make_card(valid_until=None), URL, labels=labels))) == 1


@pytest.mark.parametrize(
    "name",
    [
        "Zoë Łukasiewicz-Ørsted",
        "Дмитрий Иванович Шостакович",
        "Αλέξανδρος Παπαδόπουλος",
        "李小龍 😀 مرحبا",
        "Jean-Baptiste Emmanuel Vandenberghe-Dewulf de la Kethulle de Ryhove " * 5,
        "X" * 500,
        "",
    ],
)
def test_any_script_and_length_prints_with_a_fallback_font_too(
    make_card: MakeCard, fallback_typeface: str, name: str
) -> None:
    assert card_fonts().typeface == fallback_typeface
    card = make_card(full_name=name, organisation_name=name, membership_type=name)
    assert len(page_sizes(card_pdf(card, URL))) == 1
    assert len(page_sizes(card_sheet_pdf([(card, URL)]))) == 1


# make_card only builds cards, so sharing it between examples is harmless.
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    # Lone surrogates too, which no database would hand over but which break naive PDF text.
    name=st.text(st.characters(exclude_categories=())),
    membership_type=st.text(max_size=80),
    member_number=st.text(max_size=40),
    organisation=st.text(max_size=120),
)
def test_any_unicode_text_renders(
    make_card: MakeCard, name: str, membership_type: str, member_number: str, organisation: str
) -> None:
    card = make_card(
        full_name=name,
        membership_type=membership_type,
        member_number=member_number,
        organisation_name=organisation,
    )
    assert len(page_sizes(card_pdf(card, URL))) == 1
