"""A member card to print and sign in the card tests."""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kring_memberships.cards import MemberCard


@pytest.fixture
def make_card() -> Callable[..., MemberCard]:
    def make(**changes: Any) -> MemberCard:
        fields: dict[str, Any] = {
            "contact_id": uuid.UUID("5f0c6a2e-8d47-4d0b-9a57-3c1d2b7e9f10"),
            "full_name": "Zoë Łukasiewicz",
            "membership_type": "Senior",
            "member_number": "2025-0042",
            "valid_until": date(2026, 8, 31),
            "organisation_name": "KV Sint-Amands",
        }
        return MemberCard(**(fields | changes))

    return make
