"""Sponsor logos: the upload is checked by its content, never by its name or declared type.

PNG, JPEG and WebP are recognised by their magic bytes and must decode with Pillow within
the pixel limit (a small file can inflate into a huge image); an SVG must be well-formed XML
with an `<svg>` root and nothing that runs or fetches: no scripts, event handler attributes,
`javascript:` links, `foreignObject`, DOCTYPE (entities) or processing instructions. Such an
SVG is refused rather than cleaned, so what is served is exactly what was checked.
"""

import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree
from PIL import Image
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kring_contacts.companies.companies import announce_change, lock_company
from kring_contacts.companies.models import CompanyLogo
from kring_platform.problems import (
    ContentTooLarge,
    InvalidInput,
    NotFound,
    UnsupportedMediaType,
)
from kring_platform.unit_of_work import UnitOfWork

PNG, JPEG, WEBP, SVG = "image/png", "image/jpeg", "image/webp", "image/svg+xml"
_PILLOW_FORMATS = {PNG: "PNG", JPEG: "JPEG", WEBP: "WEBP"}
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_FORBIDDEN_SVG_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object"}
_LINK_ATTRIBUTES = {"href", "{http://www.w3.org/1999/xlink}href"}


@dataclass(frozen=True)
class CheckedLogo:
    content_type: str
    content: bytes
    sha256: str


def sniff_type(content: bytes) -> str | None:
    """The image type the bytes are, from their first bytes; None when none we serve."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in content[:4096]:
        return SVG
    return None


def _check_raster(content: bytes, content_type: str, max_pixels: int) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format != _PILLOW_FORMATS[content_type]:
                    raise InvalidInput(f"The file is not a valid {content_type} image.")
                width, height = image.size
                if width * height > max_pixels:
                    raise InvalidInput(
                        f"The logo is {width} by {height} pixels; at most {max_pixels} pixels.",
                        width=width,
                        height=height,
                    )
                image.verify()
            with Image.open(io.BytesIO(content)) as image:
                image.load()  # verify() does not decode: a truncated image fails here
    except InvalidInput:
        raise
    except Exception as exc:  # Pillow raises many kinds for broken data
        raise InvalidInput(f"The file is not a readable {content_type} image: {exc}") from None


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _refuse(reason: str) -> InvalidInput:
    return InvalidInput(f"The SVG logo is refused: {reason}.")


def _check_svg(content: bytes) -> None:
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise _refuse("it has a DOCTYPE or entities")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InvalidInput(f"The SVG logo is not well-formed XML: {exc}") from None
    if root.tag not in (f"{{{_SVG_NAMESPACE}}}svg", "svg"):
        raise _refuse("its root element is not <svg>")
    around_root = [*root.itersiblings(preceding=True), *root.itersiblings()]
    for node in [*around_root, *root.iter()]:
        if isinstance(node, etree._ProcessingInstruction):  # e.g. xml-stylesheet
            raise _refuse("it has a processing instruction")
        if not isinstance(node.tag, str):  # a comment
            continue
        if _local_name(node.tag) in _FORBIDDEN_SVG_ELEMENTS:
            raise _refuse(f"it has a <{_local_name(node.tag)}> element")
        for name, value in node.attrib.items():
            if _local_name(name).lower().startswith("on"):
                raise _refuse(f"it has an event handler attribute ({_local_name(name)})")
            link = value.strip().lower()
            if name in _LINK_ATTRIBUTES and not link.startswith(("#", "data:image/")):
                raise _refuse("it links to something outside the file")
            if "javascript:" in link:
                raise _refuse("it has a javascript: URL")


def check_logo(content: bytes, *, max_bytes: int, max_pixels: int) -> CheckedLogo:
    """The logo when it is one we serve; 413, 415 or 422 otherwise."""
    if len(content) > max_bytes:
        raise ContentTooLarge(f"The logo has more than {max_bytes} bytes.", max_bytes=max_bytes)
    if not content:
        raise InvalidInput("The logo file is empty.")
    content_type = sniff_type(content)
    if content_type is None:
        raise UnsupportedMediaType(
            "A logo must be a PNG, JPEG, WebP or SVG image.",
            accepted=[PNG, JPEG, WEBP, SVG],
        )
    if content_type == SVG:
        _check_svg(content)
    else:
        _check_raster(content, content_type, max_pixels)
    return CheckedLogo(content_type, content, hashlib.sha256(content).hexdigest())


async def save_logo(work: UnitOfWork, company_id: uuid.UUID, logo: CheckedLogo) -> CompanyLogo:
    """Stores (or replaces) the company's logo; `company.updated` tells the website."""
    company = await lock_company(work, company_id)
    values = {
        "company_id": company.id,
        "content_type": logo.content_type,
        "content": logo.content,
        "size": len(logo.content),
        "sha256": logo.sha256,
        "uploaded_at": datetime.now(UTC),
    }
    statement = insert(CompanyLogo).values(**values)
    await work.session.execute(
        statement.on_conflict_do_update(
            index_elements=[CompanyLogo.company_id],
            set_={name: statement.excluded[name] for name in values if name != "company_id"},
        )
    )
    await announce_change(work, company, ["logo"])
    return CompanyLogo(**values)


async def get_logo(session: AsyncSession, company_id: uuid.UUID) -> CompanyLogo:
    logo = await session.get(CompanyLogo, company_id)
    if logo is None:
        raise NotFound(f"Company {company_id} has no logo.", company_id=str(company_id))
    return logo


async def remove_logo(work: UnitOfWork, company_id: uuid.UUID) -> None:
    company = await lock_company(work, company_id)
    removed = await work.session.scalars(
        delete(CompanyLogo)
        .where(CompanyLogo.company_id == company.id)
        .returning(CompanyLogo.company_id)
    )
    if removed.first() is None:
        raise NotFound(f"Company {company_id} has no logo.", company_id=str(company_id))
    await announce_change(work, company, ["logo"])
