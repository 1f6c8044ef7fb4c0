"""The staff web app (the built `web/dist`): its files, and `index.html` for every other page
path, so that a link into the app (`/contacts/123`) opens it and the app's router takes over.

No Node process at runtime: the gateway serves the build as it lies on disk."""

import mimetypes
import os
import stat
from pathlib import Path

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

from kring_platform.problems import NotFound

# Paths the gateway itself answers: never the app, so an unknown API route stays a 404
# problem instead of a page of HTML.
SERVER_SEGMENTS = frozenset({"api", "health", "docs", "openapi.json", "asyncapi.json"})
ASSETS = "assets/"
# Vite names each asset by its content hash: a changed file is a new name, so the old one
# may be kept forever. index.html names the current ones and is therefore always revalidated.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def default_web_dir() -> Path | None:
    """`<repo>/web/dist` when this package runs from the repository and the app is built:
    the nearest folder above this file that holds `web/`."""
    for folder in Path(__file__).resolve().parents:
        if (folder / "web").is_dir():
            dist = folder / "web" / "dist"
            return dist if dist.is_dir() else None
    return None


def is_server_path(path: str) -> bool:
    """A path of the gateway's own (API, health, descriptions), not of the web app."""
    return path.lstrip("/").split("/", 1)[0] in SERVER_SEGMENTS


def _is_safe(relative: str) -> bool:
    """No way out of the folder and no hidden files: `..`, `.env`, backslashes, NUL."""
    segments = relative.split("/")
    return (
        not any(s.startswith(".") for s in segments)
        and "\\" not in relative
        and ("\0" not in relative)
    )


class WebApp:
    """Answers the GET/HEAD requests no other route took, from `directory`."""

    def __init__(self, directory: Path) -> None:
        self.files = StaticFiles(directory=directory, check_dir=False)

    async def __call__(self, request: Request) -> Response:
        relative = str(request.scope["path"]).lstrip("/")
        # The path as sent (percent-decoded by the server): refuse traversal outright rather
        # than relying on the fallback to hide it.
        if is_server_path(relative) or not _is_safe(relative):
            raise NotFound("No such page.")
        if relative.startswith(ASSETS):
            response = await self._file(relative, request)
            if response is None:
                # A missing script must not be answered with HTML (a stale tab would run it).
                raise NotFound("No such file.")
            response.headers["Cache-Control"] = IMMUTABLE
            return response
        response = await self._file(relative, request) or await self._file("index.html", request)
        if response is None:
            raise NotFound("The web app is not built (no index.html).")
        response.headers["Cache-Control"] = REVALIDATE
        return response

    async def _file(self, relative: str, request: Request) -> Response | None:
        """The regular file at `relative` (an answer to a conditional request as well), or
        None; its gzip twin that the build wrote beside it when the browser takes gzip.
        StaticFiles.lookup_path also refuses whatever resolves outside the folder (symbolic
        links included)."""
        if not relative:
            return None
        found = await self._lookup(relative)
        if found is None:
            return None
        compressed = await self._lookup(f"{relative}.gz") if _takes_gzip(request) else None
        if compressed is None:
            response = self.files.file_response(*found, request.scope)
        else:
            response = self.files.file_response(*compressed, request.scope)
            response.headers["Content-Encoding"] = "gzip"
            response.headers["Content-Type"] = _media_type(relative)
        response.headers["Vary"] = "Accept-Encoding"
        return response

    async def _lookup(self, relative: str) -> tuple[str, os.stat_result] | None:
        full_path, found = await run_in_threadpool(self.files.lookup_path, relative)
        if found is None or not stat.S_ISREG(found.st_mode):
            return None
        return full_path, found


def _takes_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def _media_type(relative: str) -> str:
    guessed, _ = mimetypes.guess_type(relative)
    media_type = guessed or "application/octet-stream"
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type
