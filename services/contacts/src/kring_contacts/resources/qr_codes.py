"""A resource's QR code (segno): it holds the URL of the resource's profile, so a phone
pointed at a locker or a key opens what the club knows about it."""

import io
import uuid

import segno

# Medium error correction survives a scratched sticker; the quiet zone is the standard 4.
_SCALE, _BORDER = 8, 4


def profile_url(base_url: str, resource_id: uuid.UUID) -> str:
    return f"{base_url.rstrip('/')}/{resource_id}"


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=_SCALE, border=_BORDER)
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", scale=_SCALE, border=_BORDER, xmldecl=False
    )
    return buffer.getvalue()
