"""The aggregated contact profile: the contact, its groups, memberships and history,
effective access, subscriptions and open invoices, fetched concurrently from the services.

A section whose service is down (or slow, or whose route does not exist yet) comes back
marked unavailable; a section the caller's role may not read comes back not permitted. The
page fails only when the contact itself does not exist."""

import asyncio
import json
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from kring_gateway.policy import API, Verdict, decide
from kring_gateway.problems import Refusal
from kring_gateway.roles import Caller
from kring_gateway.state import Gateway
from kring_gateway.upstreams.upstreams import identity_of
from kring_platform.problems import NotFound

# One slow service must not hold the whole page.
SECTION_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Section:
    name: str
    service: str
    path: str  # the service's route template, with {contact_id}
    query: str = ""


SECTIONS = (
    Section("contact", "contacts", "/contacts/{contact_id}"),
    Section("groups", "contacts", "/contacts/{contact_id}/groups"),
    Section("memberships", "memberships", "/contacts/{contact_id}/memberships"),
    Section("access", "memberships", "/contacts/{contact_id}/access"),
    Section("subscriptions", "newsletters", "/contacts/{contact_id}/subscriptions"),
    Section("open_invoices", "billing", "/contacts/{contact_id}/open-items"),
)


class ProfileSection(BaseModel):
    status: Literal["ok", "unavailable", "not_permitted"]
    detail: str | None = None
    data: Any = None


class ContactProfile(BaseModel):
    contact_id: uuid.UUID
    contact: ProfileSection
    groups: ProfileSection
    memberships: ProfileSection
    access: ProfileSection
    subscriptions: ProfileSection
    open_invoices: ProfileSection


async def contact_profile(
    gateway: Gateway, caller: Caller, contact_id: uuid.UUID, request_id: str
) -> ContactProfile:
    identity = identity_of(caller, request_id)
    params = {"contact_id": str(contact_id)}

    async def fetch(section: Section) -> ProfileSection:
        access = gateway.policy.table.get(("GET", f"{API}/{section.service}{section.path}"))
        if access is None or decide(access, caller, params) is not Verdict.ALLOWED:
            return ProfileSection(status="not_permitted")
        if section.service not in gateway.upstreams:
            return ProfileSection(status="unavailable", detail="not configured")
        try:
            answer = await gateway.upstreams.call(
                section.service,
                "GET",
                section.path.format(contact_id=contact_id),
                identity,
                query=section.query,
                timeout=SECTION_TIMEOUT_S,
            )
        except Refusal as refusal:
            return ProfileSection(status="unavailable", detail=refusal.detail)
        if section.name == "contact" and answer.status_code == 404:
            raise NotFound("No such contact.")
        if not answer.is_success:
            return ProfileSection(
                status="unavailable", detail=f"{section.service} answered {answer.status_code}"
            )
        try:
            return ProfileSection(status="ok", data=json.loads(answer.content))
        except ValueError:
            return ProfileSection(status="unavailable", detail="not JSON")

    sections = await asyncio.gather(*(fetch(section) for section in SECTIONS))
    return ContactProfile(
        contact_id=contact_id,
        **{section.name: result for section, result in zip(SECTIONS, sections, strict=True)},
    )
