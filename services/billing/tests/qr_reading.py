"""The QR codes of a PDF or an image, decoded with zxing-cpp: the PDF's embedded images are
extracted with pypdf (Pillow images) and scanned one by one."""

import io

import zxingcpp
from PIL import Image
from pypdf import PdfReader


def qr_texts_in_image(image: Image.Image) -> list[str]:
    return [
        result.text
        for result in zxingcpp.read_barcodes(image.convert("L"))
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]


def qr_texts_in_png(png: bytes) -> list[str]:
    return qr_texts_in_image(Image.open(io.BytesIO(png)))


def qr_texts_in_pdf(pdf: bytes) -> list[str]:
    texts: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for embedded in page.images:
            assert embedded.image is not None
            texts += qr_texts_in_image(embedded.image)
    return texts


def epc_fields(payload: str) -> dict[str, str]:
    """An EPC069-12 payload by field name (missing trailing fields empty)."""
    names = [
        "service_tag",
        "version",
        "character_set",
        "identification",
        "bic",
        "name",
        "iban",
        "amount",
        "purpose",
        "structured_reference",
        "unstructured_text",
        "information",
    ]
    values = payload.split("\n")
    assert len(values) <= len(names), payload
    return dict(zip(names, values + [""] * (len(names) - len(values)), strict=True))
