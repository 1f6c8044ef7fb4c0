"""Unsubscribe links (RFC 8058 one-click and a small page for people)."""

import html
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kring_newsletters.sending.deps import SendingDep
from kring_newsletters.unsubscribe import unsubscribing
from kring_newsletters.unsubscribe.links import UnsubscribeTarget
from kring_newsletters.unsubscribe.schemas import UnsubscribeChoice, Unsubscribed
from kring_platform.app import RuntimeDep
from kring_platform.problems import InvalidInput, NotFound

router = APIRouter(prefix="/unsubscribe", tags=["unsubscribe"])


@router.get("/{token}", response_model=UnsubscribeChoice)
async def show_choice(
    token: str, request: Request, runtime: RuntimeDep, sending: SendingDep
) -> Response | UnsubscribeChoice:
    """What the link offers: the list the mail came through, or all lists. A browser gets
    a small page with both buttons; anything else JSON. Nothing changes on GET (link
    scanners open links)."""
    target = _target(token, sending)
    async with runtime.database.transaction() as session:
        choice = await unsubscribing.choice(session, target)
    if _wants_html(request):
        return HTMLResponse(_choice_page(choice))
    return choice


@router.post("/{token}", response_model=Unsubscribed)
async def unsubscribe(
    token: str, request: Request, runtime: RuntimeDep, sending: SendingDep
) -> Response | Unsubscribed:
    """Records the opt-out. A mail client's one-click POST (`List-Unsubscribe=One-Click`)
    opts out of the list the mail came through; `scope=all` of every list."""
    target = _target(token, sending)
    scope = await _scope(request)
    async with runtime.unit_of_work() as work:
        done = await unsubscribing.unsubscribe(work, target, scope)
    if _wants_html(request):
        what = (
            f"the list {html.escape(done.list_name or '')}" if done.scope == "list" else "all lists"
        )
        return HTMLResponse(
            f"<!doctype html><title>Unsubscribed</title><p>You are unsubscribed from {what}.</p>"
        )
    return done


def _target(token: str, sending: SendingDep) -> UnsubscribeTarget:
    target = sending.links.target(token)
    if target is None:
        raise NotFound("This unsubscribe link is not valid.")
    return target


async def _scope(request: Request) -> Literal["list", "all"]:
    content_type = request.headers.get("content-type", "")
    scope = request.query_params.get("scope")
    if scope is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("scope")
        scope = value if isinstance(value, str) else None
    if scope is None:
        return "list"
    if scope not in ("list", "all"):
        raise InvalidInput("scope is 'list' or 'all'.", scope=scope[:20])
    return "all" if scope == "all" else "list"


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _choice_page(choice: UnsubscribeChoice) -> str:
    buttons = []
    if choice.list_name is not None:
        name = html.escape(choice.list_name)
        buttons.append(
            f'<form method="post"><input type="hidden" name="scope" value="list">'
            f"<button>Unsubscribe from {name}</button></form>"
        )
    buttons.append(
        '<form method="post"><input type="hidden" name="scope" value="all">'
        "<button>Unsubscribe from all lists</button></form>"
    )
    greeting = html.escape(choice.first_name) if choice.first_name else "Hello"
    return (
        "<!doctype html><meta charset=utf-8><title>Unsubscribe</title>"
        f"<p>{greeting}, which mail do you no longer want?</p>{''.join(buttons)}"
    )
