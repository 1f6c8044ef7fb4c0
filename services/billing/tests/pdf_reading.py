"""The text of a PDF as pypdf reads it, whitespace collapsed (table cells come out on lines
of their own), for tests to look for what a document shows."""

import io
import re

from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))
