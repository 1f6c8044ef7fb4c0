"""What is printed on a member card: the facts the service hands over, nothing looked up."""

import uuid
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class MemberCard:
    """One contact's card. `valid_until` is the last day the card is valid (inclusive), or
    None for a membership without an end date."""

    contact_id: uuid.UUID
    full_name: str
    membership_type: str
    member_number: str
    valid_until: date | None
    organisation_name: str


@dataclass(frozen=True, slots=True)
class CardLabels:
    """The fixed words on a card, so a club can print them in its own language."""

    title: str = "Member card"
    member_number: str = "Member no."
    valid_until: str = "Valid until"
    no_end_date: str = "no end date"
    scan_to_verify: str = "Scan to verify"
    # ISO by default: the one date order no reader misreads, whatever their language.
    date_format: str = "%Y-%m-%d"

    def valid_until_text(self, valid_until: date | None) -> str:
        return self.no_end_date if valid_until is None else valid_until.strftime(self.date_format)
